"""What each read was, in words, from the purpose its call site recorded.

Pages that open a member's record through ``access.policy.member_get``
record the action they were opened for (``member.view``,
``services.log``…); other reads name themselves. The path, kept beside
the purpose, tells which of several forms sharing an action it was.
"""

PURPOSES = {
    # The member's record and the forms opened on it.
    "member.view": "Opened the member's record",
    "member.edit": "Opened the member's record to edit it",
    "member.list": "Listed members",
    "member.duplicates": "Was shown possible duplicates while adding a member",
    "member.refer": "Opened the referral form",
    "member.exit": "Opened the exit form",
    "services.authorize": "Opened an authorization form",
    "services.log": "Opened a form to log services",
    "job_end.record": "Opened the job-end form",
    "job_end.view": "Opened a job end",
    "job.fit_windows": "Opened a job's milestone windows",
    "team_log.write": "Opened the team log, a meeting or consent",
    "achievement.log": "Opened the milestone achievement form",
    "achievement.open": "Opened an achievement to void it or attach documents",
    "services.window": "Opened a milestone window to change it",
    # Home pages, referrals and caseloads.
    "home.view": "Was shown on the home page (caseload or waiting referrals)",
    "referral.view": "Opened a referral",
    "caseload.view": "Viewed the team's caseloads",
    # Downloads, documents and claims.
    "evidence.download": "Downloaded a milestone document",
    "document.service_plan": "Downloaded the service plan (PDF)",
    "document.milestone_packet": "Downloaded a milestone packet (PDF)",
    "document.job_end_form": "Downloaded the job-end form (PDF)",
    "claims.view": "Viewed a claim batch",
    "claims.held": "Viewed claim lines held over the cap",
    "claims.export": "Downloaded a claim batch (CSV)",
    # Flags.
    "flags.inbox": "Viewed the flags inbox",
    "flags.dismiss": "Opened a flag to dismiss it",
    # The access log itself.
    "audit.search": "Searched the access log by member",
    "audit.member": "Looked at who has opened the member's record",
    # The API.
    "api.achievement.log": "API: logged a milestone achievement",
}

# The API's lists and details record ``api.<resource>.list`` or
# ``api.<resource>.detail`` (api.views.ApiViewMixin).
API_RESOURCES = {
    "member": ("members", "a member"),
    "referral": ("referrals", "a referral"),
    "authorization": ("authorization rounds", "an authorization round"),
    "job": ("jobs", "a job"),
    "job-end": ("job ends", "a job end"),
    "coaching-authorization": ("coaching authorizations", "a coaching authorization"),
    "coaching-month": ("coaching months", "a coaching month"),
    "flag": ("flags", "a flag"),
}


def purpose_in_words(purpose: str) -> str:
    """Say what a recorded read was; an unknown purpose is shown as it is."""
    if purpose in PURPOSES:
        return PURPOSES[purpose]
    prefix, _, rest = purpose.partition(".")
    resource, _, kind = rest.rpartition(".")
    if prefix == "api" and resource in API_RESOURCES:
        many, one = API_RESOURCES[resource]
        if kind == "list":
            return f"API: listed {many}"
        if kind == "detail":
            return f"API: read {one}"
    return purpose
