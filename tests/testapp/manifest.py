"""A module type for the shared services' tests (comments, supports, follows…), independent of any real module.

Its one resource, ``testapp.Item``, takes part in every interaction; its phase types grant the capabilities
those services check: "participation" grants viewing, commenting and supporting, "information" only viewing.
"""

from participe.core.capabilities import Cap
from participe.core.registry import Export, ModuleManifest, Offer, PhaseType, Resource

manifest = ModuleManifest(
    key="testmodule",
    name="Module de test",
    description="Installé seulement par les réglages de test.",
    icon="box",
    app_label="testapp",
    phase_types=(
        PhaseType(
            key="participation",
            name="Participation",
            capabilities=frozenset({Cap.VIEW, Cap.SUBMIT, Cap.COMMENT, Cap.SUPPORT}),
        ),
        PhaseType(key="information", name="Information", capabilities=frozenset({Cap.VIEW})),
        # For the ballot service's tests (participe/ballots/tests).
        PhaseType(key="vote", name="Vote", capabilities=frozenset({Cap.VIEW, Cap.VOTE})),
    ),
    resources=(
        Resource(
            model="testapp.Item",
            commentable=True,
            supportable=True,
            followable=True,
            reportable=True,
            searchable=True,
            attachments=True,
            text_fields=("body",),
            contribution_fields=("title", "body"),
            # Routed to services by the staff of the space (participe.assignments' tests).
            assign_permission="spaces.change_space",
        ),
    ),
    actions=(Cap.COMMENT, Cap.SUPPORT, Cap.VOTE),
    exports=(
        Export(
            key="elements",
            name="Éléments",
            formats=("csv", "json"),
            open_data=True,
            stream="tests.testapp.open_data.stream",
            is_open="tests.testapp.open_data.is_open",
            description="Les titres des éléments.",
        ),
    ),
    offers=(
        Offer(kind="idea", name="Éléments retenus", resource="testapp.Item", items="tests.testapp.open_data.offered"),
    ),
    personal_data="tests.testapp.personal_data.personal_data",
)
