"""Start the test identity provider: ``python -m tests.oidc_provider.run SPEC`` migrates its database, creates its
people and clients from the spec, then serves on the spec's port until it is stopped."""

import os
import sys


def main() -> None:
    os.environ["OIDC_PROVIDER_SPEC"] = sys.argv[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0)
    spec = settings.SPEC
    for person in spec["users"]:
        user = get_user_model().objects.create_user(username=person["username"], password=person["password"])
        user.email = person.get("claims", {}).get("email", "")
        user.save()
    for client in spec["clients"]:
        get_application_model().objects.create(
            name=client["name"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            hash_client_secret=False,
            client_type="confidential",
            authorization_grant_type="authorization-code",
            redirect_uris=" ".join(client["redirect_uris"]),
            post_logout_redirect_uris=" ".join(client.get("post_logout_redirect_uris", [])),
            algorithm="RS256",
            skip_authorization=client.get("skip_authorization", False),
        )
    print("ready", flush=True)
    run("127.0.0.1", spec["port"], get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()
