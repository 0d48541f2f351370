"""Which payer an authorization may name."""

from django.core.exceptions import ValidationError

from payers.models import Payer


def authorization_payer_check(member_payer: Payer, payer: Payer) -> None:
    """Refuse an authorization naming a payer other than the member's (rule).

    A claim goes to the payer its authorization names, so an authorization
    names the payer the member's record says funds them. When the member's
    funding changes, the record changes first (and with it who may see the
    member); then the new payer's authorizations follow.
    """
    if payer.pk != member_payer.pk:
        raise ValidationError(
            {
                "payer": f"The member's payer is {member_payer.name}. An "
                "authorization names that payer; if the member's funding has "
                "changed, update the member's record first."
            }
        )
