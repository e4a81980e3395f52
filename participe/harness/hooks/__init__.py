"""The platform apps' volume hooks, one file per app (listed in ``participe.harness.volume.PLATFORM_HOOKS``): rows of
the shared services (follows, supports on comments) written over the items the modules' hooks made."""
