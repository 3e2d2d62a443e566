"""factory_boy factories for the organization; later apps add theirs beside their tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from govhall.org.choices import StaffRole
from govhall.org.models import Center, Post, Staff, Unit, Window


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = factory.Sequence(lambda n: f"测试政务服务中心{n}")
    short_name = "测试政务服务"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"单位{n}")
    created_on = dt.date(2000, 1, 1)  # long in the hall: tests record history of any year


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    unit = factory.SubFactory(UnitFactory)
    center = factory.SelfAttribute("unit.center")
    name = factory.Sequence(lambda n: f"窗口{n}")
    created_on = dt.date(2000, 1, 1)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    window = factory.SubFactory(WindowFactory)
    unit = factory.SelfAttribute("window.unit")
    center = factory.SelfAttribute("window.center")
    name = factory.Sequence(lambda n: f"职员{n}")
    role = StaffRole.CLERK


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    primary = factory.SubFactory(StaffFactory)
    backup = factory.SubFactory(StaffFactory, window=factory.SelfAttribute("..primary.window"))
    window = factory.SelfAttribute("primary.window")
    center = factory.SelfAttribute("primary.center")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")
