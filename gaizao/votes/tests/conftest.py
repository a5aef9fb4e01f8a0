import pytest

from conftest import make_community


@pytest.fixture
def community(dongcheng):
    """东关家属院: one six-storey building, its register built by each test."""
    return make_community(dongcheng, "DC101", "东关家属院", buildings=((6, 24, "2400"),))
