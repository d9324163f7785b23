from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkao.core.request_memo import RequestMemoMiddleware, remembered
from gongkao.organizations.queries import units_of_office
from tests.factories.organizations import ExamOfficeFactory


def _read_count(counter: list[int]):
    def read() -> int:
        counter.append(1)
        return len(counter)

    return read


def test_outside_a_request_nothing_is_remembered():
    counter: list[int] = []
    assert remembered("k", _read_count(counter)) == 1
    assert remembered("k", _read_count(counter)) == 2


def test_a_request_reads_once_per_key_and_forgets_at_its_end(rf):
    counter: list[int] = []
    seen = []

    def view(request):
        seen.append(remembered("k", _read_count(counter)))
        seen.append(remembered("k", _read_count(counter)))
        seen.append(remembered("other", _read_count(counter)))
        return None

    middleware = RequestMemoMiddleware(view)
    middleware(rf.get("/"))
    assert seen == [1, 1, 2]
    # The next request reads again.
    middleware(rf.get("/"))
    assert seen[3:] == [3, 3, 4]
    assert remembered("k", _read_count(counter)) == 5


def test_an_office_scope_is_read_once_per_request(rf, db):
    office = ExamOfficeFactory()

    def view(request):
        with CaptureQueriesContext(connection) as ctx:
            list(units_of_office(office))
            list(units_of_office(office))
        request.queries = len(ctx)
        return None

    outside = rf.get("/")
    view(outside)
    inside = rf.get("/")
    RequestMemoMiddleware(view)(inside)
    # Within a request the office's unit ids are read once, not twice.
    assert inside.queries == outside.queries - 1
