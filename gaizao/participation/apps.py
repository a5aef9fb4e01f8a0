from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Holds only the migration history of the tables that moved to households, votes, surveys, feedback and
    notices: databases made before the split find their migrations here. It has no models, pages or code; squash
    it away once every installation has migrated past ``participation.0002``."""

    name = "gaizao.participation"
    label = "participation"
    verbose_name = "participation (migration history)"
