"""The composition root: the one place that opens a store and wires what acts on it.

Every entry point — the CLI, the TUI, the scheduler, the tests — starts here and wires
nothing itself::

    from rectify.bootstrap import open_house

    with open_house() as house:                        # RECTIFY_DB, else the default file
        with house.session():                          # the logged-in principal acts
            house.findings.close_finding("W-2024-01", "已整改")
        # leaving the session normally has caught the read models up
        with house.session():
            rows = house.queries.list_findings(overdue=True)

API (other rooms code against these names):

- ``open_house(url=None, *, create=False, clock=None, blob_dir=None, policy=None) -> House``
  opens (``create``: initialises or upgrades) the store; ``House`` is a context manager.
- ``House.store``: the projections ``Store`` (``engine``, ``url``, ``runner``).
- ``House.clock``: a ``rectify.domain.clock.Clock`` (``today()`` in Beijing,
  ``now()`` tz-aware); services take every default date from it.
- ``House.policy``: the ``DeadlinePolicy`` behind default due / re-review dates.
- Application services (``rectify.domain.services``, one RectifyApp underneath):
  ``House.findings`` (FindingService: the problem list, departments),
  ``House.evaluations`` (EvaluationService: evaluations and budgets),
  ``House.evidence`` (EvidenceService, with the blob store and the size limit built
  here), ``House.people`` (PeopleService: users and sessions); ``House.services`` is
  the bundle the package importer takes (``import_package(house.services, pkg)``).
  Command names are ``verb_object`` (``record_finding``, ``issue_finding``,
  ``adjust_budget``, ``submit_evidence``, ``add_user``); typed getters are
  ``get_object`` (NotFound) and ``find_object`` (None). Who may do what:
  ``rectify.domain.lifecycle`` and ``rectify.domain.permissions``.
- ``House.queries``: read models (problem list, finding detail with timeline,
  figures, departments, evaluation summary, budget), scoped to the acting principal,
  "today" from the clock.
- ``House.catch_up() -> int``: bring the read models up to date.
- ``House.authenticate(name, password) -> Principal``;
  ``House.principal_from_environment()``: RECTIFY_USER/RECTIFY_PASSWORD, else the
  session file `rectify login` wrote; ``House.remember_login(principal)``,
  ``House.forget_login()``.
- ``House.acting(principal)``: commands inside run as ``principal`` (the actor
  ContextVar); a normal exit catches the read models up, unless another process is
  catching up right then (PostgreSQL): that runner or the next read does it
  (``House.queries`` catches up first after such a skip).
- ``House.session()``: ``acting`` as whoever ``principal_from_environment`` finds.
- ``House.close()``.

The blob store is RECTIFY_BLOB_DIR, else ``blobs/`` beside the SQLite file, else one
folder per PostgreSQL database under the user data directory;
RECTIFY_EVIDENCE_MAX_BYTES changes the size limit of one file; RECTIFY_TODAY (YYYY-MM-DD)
fixes the clock's day when no clock is given.
"""

from rectify.bootstrap.house import House, open_house

__all__ = ["House", "open_house"]
