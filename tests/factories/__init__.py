"""factory_boy factories, one module per app: plain defaults, no surprises.

Each factory builds a valid row with the fewest related rows. Traits and
helper functions give the common shapes: an applicant with a filled level-4
application (fill_level4_application), a submitted one
(submitted_application), staff with their role (unit_clerk,
department_reviewer, office_reviewer, office_admin), the Jurisdiction that
makes an office review a unit (review_unit), an application or a batch further
along the chain (advance, advance_batch). Those helpers go through the real
services; only the factories whose docstring says "raw" write a status
directly, for query tests.

Import from here: `from tests.factories import UserFactory, make_id_number`.
"""

from tests.factories.accounts import (
    PASSWORD,
    ApplicantFactory,
    LoginThrottleFactory,
    RoleAssignmentFactory,
    SmsCodeFactory,
    TrustedNetworkFactory,
    UserFactory,
    assignment_of,
    department_reviewer,
    make_id_number,
    office_admin,
    office_reviewer,
    staff,
    system_admin,
    unit_clerk,
)
from tests.factories.applications import (
    PDF,
    AnnualReviewFactory,
    ApplicantProfileFactory,
    ApplicationFactory,
    HeldCertificateFactory,
    HonorFactory,
    MaterialFactory,
    MaterialFileFactory,
    PatentFactory,
    StatusChangeFactory,
    fill_deferred_level1,
    fill_level4_application,
    jpeg,
    submitted_application,
    upload_all,
)
from tests.factories.campaigns import CampaignFactory, FeeRateFactory, JobTypeFactory
from tests.factories.core import (
    AuditChainHeadFactory,
    AuditEventFactory,
    BackgroundJobFactory,
    NotificationFactory,
    WorkdayOverrideFactory,
)
from tests.factories.organizations import (
    DivisionFactory,
    ExamOfficeFactory,
    JurisdictionFactory,
    UnitFactory,
    review_unit,
)
from tests.factories.review import (
    BatchChangeFactory,
    BatchFactory,
    BatchScanFactory,
    FeePaymentFactory,
    OriginalCustodyFactory,
    ReturnReasonCodeFactory,
    Reviewers,
    ReviewFactory,
    advance,
    advance_batch,
    approve,
)

__all__ = [
    "LoginThrottleFactory",
    "TrustedNetworkFactory",
    "PASSWORD",
    "PDF",
    "AnnualReviewFactory",
    "ApplicantFactory",
    "ApplicantProfileFactory",
    "ApplicationFactory",
    "AuditChainHeadFactory",
    "AuditEventFactory",
    "BackgroundJobFactory",
    "BatchChangeFactory",
    "BatchFactory",
    "BatchScanFactory",
    "CampaignFactory",
    "DivisionFactory",
    "ExamOfficeFactory",
    "FeePaymentFactory",
    "FeeRateFactory",
    "HeldCertificateFactory",
    "HonorFactory",
    "JobTypeFactory",
    "JurisdictionFactory",
    "MaterialFactory",
    "MaterialFileFactory",
    "NotificationFactory",
    "OriginalCustodyFactory",
    "PatentFactory",
    "ReturnReasonCodeFactory",
    "ReviewFactory",
    "Reviewers",
    "RoleAssignmentFactory",
    "SmsCodeFactory",
    "StatusChangeFactory",
    "UnitFactory",
    "UserFactory",
    "WorkdayOverrideFactory",
    "advance",
    "advance_batch",
    "approve",
    "assignment_of",
    "department_reviewer",
    "fill_deferred_level1",
    "fill_level4_application",
    "jpeg",
    "make_id_number",
    "office_admin",
    "office_reviewer",
    "review_unit",
    "staff",
    "submitted_application",
    "system_admin",
    "unit_clerk",
    "upload_all",
]
