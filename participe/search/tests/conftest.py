import pytest

from participe.search.services import index_object
from tests.factories import ItemFactory


@pytest.fixture
def indexed_item(db):
    """Make an item and index it, as a module's service would."""

    def make(**kwargs):
        item = ItemFactory(**kwargs)
        index_object(item)
        return item

    return make
