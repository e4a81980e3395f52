"""A real OpenID Connect provider for the tests: django-oauth-toolkit's, in a Django project of its own, served by
a subprocess on a free port (``server.provider``). It plays FranceConnect (``acr`` eidas1, the identity claims) and
ProConnect (``amr`` per user), and answers the userinfo as a signed JWT, as both do."""
