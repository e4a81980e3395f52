from django.urls import include, path

from participe.backoffice.views import (
    audit,
    content,
    departments,
    home,
    members,
    modules,
    organisation,
    permanent,
    phases,
    spaces,
    users,
    verifications,
)
from participe.core.registry import registry

app_name = "backoffice"
urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("saisie-pour-un-habitant/terminer/", home.acting_stop, name="acting_stop"),
    # Organisation, territories, themes, departments (the Service model; « services » in French URLs).
    path("organisation/", organisation.organisation_edit, name="organisation"),
    path("territoires/", organisation.territory_list, name="territories"),
    path("territoires/ajouter/", organisation.territory_create, name="territory_create"),
    path("territoires/<int:pk>/modifier/", organisation.territory_edit, name="territory_edit"),
    path("territoires/<int:pk>/supprimer/", organisation.territory_delete, name="territory_delete"),
    path("themes/", organisation.theme_list, name="themes"),
    path("themes/ajouter/", organisation.theme_create, name="theme_create"),
    path("themes/<int:pk>/modifier/", organisation.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/deplacer/", organisation.theme_move, name="theme_move"),
    path("themes/<int:pk>/supprimer/", organisation.theme_delete, name="theme_delete"),
    path("services/", departments.department_list, name="departments"),
    path("services/ajouter/", departments.department_create, name="department_create"),
    path("services/<int:pk>/modifier/", departments.department_edit, name="department_edit"),
    path("services/<int:pk>/agents/ajouter/", departments.department_member_add, name="department_member_add"),
    path(
        "services/<int:pk>/agents/<int:user_pk>/retirer/",
        departments.department_member_remove,
        name="department_member_remove",
    ),
    path("services/<int:pk>/supprimer/", departments.department_delete, name="department_delete"),
    # Organisation-wide modules (signalements, agenda…): turned on here, then set up like any module.
    path("modules-permanents/", permanent.permanent_modules, name="permanent_modules"),
    path("modules-permanents/<slug:key>/activer/", permanent.permanent_module_enable, name="permanent_module_enable"),
    # Spaces, their modules, phases, eligibility rules, members, documents and news.
    path("espaces/", spaces.space_list, name="spaces"),
    path("espaces/ajouter/", spaces.space_create, name="space_create"),
    path("espaces/<int:pk>/", spaces.space_detail, name="space_detail"),
    path("espaces/<int:pk>/modifier/", spaces.space_edit, name="space_edit"),
    path("espaces/<int:pk>/statut/", spaces.space_status, name="space_status"),
    path("espaces/<int:pk>/supprimer/", spaces.space_delete, name="space_delete"),
    path("espaces/<int:pk>/modules/ajouter/", modules.module_create, name="module_create"),
    path("modules/<int:pk>/", modules.module_edit, name="module_edit"),
    path("modules/<int:pk>/parametres/", modules.module_settings, name="module_settings"),
    path("modules/<int:pk>/supprimer/", modules.module_delete, name="module_delete"),
    path("modules/<int:pk>/etapes/ajouter/", phases.phase_create, name="phase_create"),
    path("etapes/<int:pk>/modifier/", phases.phase_edit, name="phase_edit"),
    path("etapes/<int:pk>/supprimer/", phases.phase_delete, name="phase_delete"),
    path("modules/<int:pk>/eligibilite/ajouter/", phases.rule_create, name="rule_create"),
    path("eligibilite/<int:pk>/modifier/", phases.rule_edit, name="rule_edit"),
    path("eligibilite/<int:pk>/supprimer/", phases.rule_delete, name="rule_delete"),
    path("espaces/<int:pk>/membres/", members.member_list, name="members"),
    path("espaces/<int:pk>/membres/ajouter/", members.member_add, name="member_add"),
    path("membres/<int:pk>/retirer/", members.member_remove, name="member_remove"),
    path("espaces/<int:pk>/documents/", content.document_list, name="documents"),
    path("documents/<int:pk>/supprimer/", content.document_delete, name="document_delete"),
    path("espaces/<int:pk>/actualites/", content.news_list, name="news"),
    path("espaces/<int:pk>/actualites/ajouter/", content.news_create, name="news_create"),
    path("actualites/<int:pk>/modifier/", content.news_edit, name="news_edit"),
    path("actualites/<int:pk>/supprimer/", content.news_delete, name="news_delete"),
    # People: users and roles, verifications, accounts created by agents.
    path("utilisateurs/", users.user_list, name="users"),
    path("utilisateurs/<int:pk>/", users.user_detail, name="user_detail"),
    path("utilisateurs/<int:pk>/administrateur/", users.user_org_admin, name="user_org_admin"),
    path("verifications/recensement/", verifications.census, name="census"),
    path("verifications/guichet/", verifications.counter_search, name="counter"),
    path("verifications/guichet/<int:pk>/", verifications.counter_verify, name="counter_verify"),
    path("verifications/<int:pk>/revoquer/", verifications.verification_revoke, name="verification_revoke"),
    path("comptes-geres/", verifications.managed_list, name="managed_accounts"),
    path("comptes-geres/ajouter/", verifications.managed_create, name="managed_create"),
    path("comptes-geres/<int:pk>/participer/", verifications.acting_start, name="acting_start"),
    # Audit log.
    path("journal/", audit.audit_list, name="audit"),
    path("journal/<int:pk>/", audit.audit_detail, name="audit_detail"),
]

# Each module's own back-office pages, declared in its manifest.
for manifest in registry.all():
    if manifest.backoffice_urls:
        urlpatterns.append(path(f"m/{manifest.key}/", include(manifest.backoffice_urls)))
