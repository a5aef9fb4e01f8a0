from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    """After acceptance: long-term management (长效管理) and return visits (回访)."""

    name = "gaizao.aftercare"
    label = "aftercare"
    verbose_name = _("After acceptance")

    def ready(self):
        # Return visits are scheduled from the acceptance date: whenever an acceptance is recorded or corrected,
        # its surveys are created or moved. A signal keeps works unaware of this app (it sits above works).
        from django.db.models.signals import post_save

        from gaizao.aftercare.visits import on_acceptance_saved
        from gaizao.works.models import Acceptance

        post_save.connect(on_acceptance_saved, sender=Acceptance, dispatch_uid="aftercare_return_visits")

        from gaizao.aftercare import bulletin
        from gaizao.core import stamps

        stamps.watch(bulletin.STAMP, *bulletin.watched_models())
