"""What every page's layout needs from the domain."""

from gaizao.core import clock


def platform_day(request) -> dict:
    """The day the platform runs on when it is not the real date: every page then says so (the banner)."""
    return {"platform_day": clock.set_day()}
