# The conditions of the notice, one function per condition, grouped by section:
# scope (一), levels (二（二）), job_type_change (二（三）), honors (二（四）and
# 二（二）5.（5）), exclusions (二（六）), deferred_review (三（三）).
