import uuid
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords


class Organization(models.Model):
    """A body whose people use the portal: an MCO, IME, agency or provider."""

    class Kind(models.TextChoices):
        MCO = "mco", "Managed care organization"
        IME = "ime", "Iowa Medicaid Enterprise"
        CASE_MANAGEMENT_AGENCY = "cm_agency", "Case-management agency"
        PROVIDER_SITE = "provider_site", "IPS provider site"
        STATE_PROGRAM = "state_program", "State program"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Belongs to one organization, with one role.

    The administrator role manages reference data and users in the Django
    admin and gives no access to member records. Someone who administers
    the portal and also works members holds a member-facing role with
    ``is_staff`` set.
    """

    class Role(models.TextChoices):
        CASE_MANAGER = "case_manager", "Case manager"
        IPS_SPECIALIST = "ips_specialist", "IPS specialist"
        IPS_SUPERVISOR = "ips_supervisor", "IPS supervisor"
        PROGRAM_REVIEWER = "program_reviewer", "Program reviewer"
        ADMINISTRATOR = "administrator", "Administrator"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The account an API token acts as: it has the organization's scope,
    # never a password, and is no one's colleague in team lists or emails.
    is_api_client = models.BooleanField(default=False, editable=False)
    # Part of the hash every session of this person is checked against:
    # raising it ends all their sessions at once ("sign out of every
    # device", accounts.services.user_sessions_end_all).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "session_generation"]
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # Every member-facing role acts for an organization; only the
            # portal's own administrators may stand outside one.
            models.CheckConstraint(
                condition=models.Q(role="administrator")
                | models.Q(organization__isnull=False),
                name="user_member_facing_role_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_provider_staff(self) -> bool:
        return self.role in (self.Role.IPS_SPECIALIST, self.Role.IPS_SUPERVISOR)

    def get_session_auth_hash(self) -> str:
        """The hash a session of this user must carry to stay signed in.

        Like Django's, it changes with the password; it also changes with
        ``session_generation``, so sessions can be ended without one.
        """
        return self._session_auth_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret)

    def _session_auth_hash(self, secret: str | bytes) -> str:
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()
