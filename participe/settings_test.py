"""Settings for the test suite: the normal settings with PARTICIPE_TESTING on."""

import os

os.environ["PARTICIPE_TESTING"] = "1"
os.environ.setdefault("DJANGO_DEBUG", "0")

from participe.settings import *  # noqa: F403

# A resource type for the shared services' tests (comments, supports, follows…), independent of any module, and an
# organisation-wide module type (decision 0010), and a consumer of the anonymity mixer.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "tests.orgapp", "tests.mixapp"]  # noqa: F405
