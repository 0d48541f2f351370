"""factory_boy factories. Every name and number here is invented."""

import datetime

import factory

from accounts.models import Organization, User
from members.models import Member
from payers.models import Payer
from providers.models import County, ProviderSite
from referrals.models import Episode, Referral


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Example Organization {n}")
    kind = Organization.Kind.MCO


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = "Example"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = User.Role.CASE_MANAGER
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.django.Password("a-test-password-1")


def provider_site(slug: str) -> ProviderSite:
    return ProviderSite.objects.select_related("organization").get(slug=slug)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    first_name = factory.Sequence(lambda n: f"Testmember{n}")
    last_name = "Sample"
    birth_date = datetime.date(1985, 6, 1)
    county = factory.LazyFunction(lambda: County.objects.get(name="Polk"))
    payer = factory.LazyFunction(lambda: Payer.objects.get(short_name="Wellpoint"))
    managing_organization = factory.LazyFunction(
        lambda: Organization.objects.get(name="Wellpoint Iowa")
    )
    diagnosis_category = Member.DiagnosisCategory.SMI
    medicaid_id = factory.Sequence(lambda n: f"{8000000 + n:07d}T")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    member = factory.SubFactory(MemberFactory)
    provider = factory.LazyFunction(lambda: provider_site("43-north-iowa"))
    status = Referral.Status.PENDING
    referred_by = factory.SubFactory(UserFactory)
    referred_on = datetime.date(2026, 2, 1)


class EpisodeFactory(factory.django.DjangoModelFactory):
    """An accepted referral and the episode it opened."""

    class Meta:
        model = Episode

    member = factory.SubFactory(MemberFactory)
    provider = factory.LazyFunction(lambda: provider_site("43-north-iowa"))
    referral = factory.SubFactory(
        ReferralFactory,
        member=factory.SelfAttribute("..member"),
        provider=factory.SelfAttribute("..provider"),
        status=Referral.Status.ACCEPTED,
        referred_on=factory.LazyAttribute(
            lambda referral: (
                referral.factory_parent.opened_on - datetime.timedelta(days=3)
            )
        ),
    )
    specialist = factory.LazyAttribute(
        lambda episode: UserFactory(
            organization=episode.provider.organization,
            role=User.Role.IPS_SPECIALIST,
        )
    )
    opened_on = datetime.date(2026, 1, 10)
