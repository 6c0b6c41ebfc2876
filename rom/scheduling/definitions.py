"""The periodic jobs as data: id, the job's textual reference, and its interval setting."""

JOBS = (
    ("plan-invitations", "rom.scheduling.jobs:plan_invitations", "SCHEDULER_PLAN_SECONDS"),
    ("deliver-outbox", "rom.scheduling.jobs:deliver_outbox", "SCHEDULER_DELIVER_SECONDS"),
    ("expire-invitations", "rom.scheduling.jobs:expire_invitations", "SCHEDULER_PLAN_SECONDS"),
    ("close-sessions", "rom.scheduling.jobs:close_sessions", "SCHEDULER_CLOSE_SECONDS"),
    ("recompute-flags", "rom.scheduling.jobs:recompute_flags", "SCHEDULER_FLAGS_SECONDS"),
    ("refit-course", "rom.scheduling.jobs:refit_expected_course", "SCHEDULER_DIGEST_SECONDS"),
    ("briefing-notices", "rom.scheduling.jobs:send_briefing_notices", "SCHEDULER_PLAN_SECONDS"),
    ("escalate-critical", "rom.scheduling.jobs:escalate_critical_flags", "SCHEDULER_PLAN_SECONDS"),
    ("prepare-reports", "rom.scheduling.jobs:prepare_reports", "SCHEDULER_REPORT_SECONDS"),
    (
        "prepare-management-figures",
        "rom.scheduling.jobs:prepare_management_figures",
        "SCHEDULER_FIGURES_SECONDS",
    ),
    ("daily-digest", "rom.scheduling.jobs:send_digests", "SCHEDULER_DIGEST_SECONDS"),
)
