"""The userinfo answered as a signed JWT (``application/jwt``), as FranceConnect and ProConnect answer it."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from joserfc import jwt
from joserfc.jwk import RSAKey
from jwcrypto import jwk
from oauth2_provider.models import get_access_token_model
from oauth2_provider.views import UserInfoView


class SignedUserInfoView(UserInfoView):
    def _create_userinfo_response(self, request: HttpRequest) -> Any:
        response = super()._create_userinfo_response(request)
        if response.status_code != 200:
            return response
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        token = get_access_token_model().objects.select_related("application").get(token=bearer)
        pem = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
        kid = jwk.JWK.from_pem(pem.encode()).thumbprint()
        claims = {**json.loads(response.content), "iss": settings.SPEC["issuer"]}
        claims["aud"] = token.application.client_id
        body = jwt.encode({"alg": "RS256", "kid": kid}, claims, RSAKey.import_key(pem))
        return HttpResponse(body, content_type="application/jwt")
