"""Views of the agents' back-office, one module per area."""

from participe.backoffice.views.home import acting_stop, dashboard
from participe.backoffice.views.modules import module_edit

__all__ = ["acting_stop", "dashboard", "module_edit"]
