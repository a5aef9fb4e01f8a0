"""Contractors and their companies, shared with the works tests (feedback is routed to them)."""

from gaizao.works.tests.conftest import builder, contractor, rival, rival_user  # noqa: F401 (fixtures)
