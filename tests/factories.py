"""factory_boy factories shared by every test of the project."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from participe.accounts.models import User
from participe.organisation.models import Service, Territory, Theme
from participe.spaces.models import Module, Phase, Space, SpaceMembership
from participe.verifications.models import Verification

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "motdepasse-solide-2024"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"habitant{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"habitant-{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and self.email and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
            self.save()


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    kind = "quartier"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    title = factory.Sequence(lambda n: f"Démarche {n}")
    slug = factory.Sequence(lambda n: f"demarche-{n}")
    summary = "Une démarche pour tester."
    status = Space.Status.PUBLISHED
    visibility = Space.Visibility.PUBLIC
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    space = factory.SubFactory(SpaceFactory)
    module_type = "page"
    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    module = factory.SubFactory(ModuleFactory)
    phase_type = "information"
    name = "Information"
    start = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    end = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class VerificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verification

    user = factory.SubFactory(UserFactory)
    handler = "counter"
    birth_date = datetime.date(1980, 5, 17)


def make_agent(**kwargs: object) -> User:
    """A member of a service, with TOTP activated (staff must use MFA)."""
    user = UserFactory(**kwargs)
    ServiceFactory().members.add(user)
    with_totp(user)
    return user


def make_org_admin(**kwargs: object) -> User:
    user = UserFactory(is_org_admin=True, **kwargs)
    with_totp(user)
    return user


def make_space_role(space: Space, role: str, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    SpaceMembership.objects.create(space=space, user=user, role=role)
    if role in (SpaceMembership.Role.ADMIN, SpaceMembership.Role.MODERATOR):
        with_totp(user)
    return user


def with_totp(user: User) -> User:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)
    return user


class ParticipationModuleFactory(ModuleFactory):
    """A module of the test-only module type, open for comments and supports (a "participation" phase running)."""

    module_type = "testmodule"
    phase = factory.RelatedFactory(
        PhaseFactory, factory_related_name="module", phase_type="participation", name="Participation"
    )


class ItemFactory(factory.django.DjangoModelFactory):
    """A resource of the test-only module type: commentable, supportable, followable, reportable, searchable."""

    class Meta:
        model = "testapp.Item"

    module = factory.SubFactory(ParticipationModuleFactory)
    title = factory.Sequence(lambda n: f"Idée n° {n}")
    body = "Des bancs à l'ombre près de l'école."
    author = factory.SubFactory(UserFactory)
