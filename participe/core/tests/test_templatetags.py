"""Template helpers: query strings for filters and pages, accessible form fields."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from participe.core.templatetags.participe import field, query_with


def test_it_replaces_one_query_parameter_and_keeps_the_others():
    request = RequestFactory().get("/demarches/?quand=ongoing&theme=mobilite&apres=abc")
    assert query_with({"request": request}, apres="xyz") == "?quand=ongoing&theme=mobilite&apres=xyz"
    assert query_with({"request": request}, apres=None, theme="") == "?quand=ongoing"
    assert query_with({"request": RequestFactory().get("/")}, apres="") == "?"


def test_it_escapes_query_values():
    request = RequestFactory().get("/")
    assert query_with({"request": request}, q='"><script>') == "?q=%22%3E%3Cscript%3E"


class ExampleForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il apparaît")
    agree = forms.BooleanField(label="J'accepte", required=False)


def test_it_ties_hints_and_errors_to_their_field():
    form = ExampleForm(data={})
    form.is_valid()
    context = field(form["name"])
    widget = str(context["widget"])
    assert 'aria-describedby="id_name-hint id_name-error"' in widget
    assert 'aria-invalid="true"' in widget
    assert "required" in widget
    assert context["hint"] == "Tel qu&#x27;il apparaît"  # escaped once, marked safe: the template adds nothing


def test_it_renders_a_field_with_its_label():
    form = ExampleForm()
    html = Template("{% field form.name %}").render(Context({"form": form}))
    assert '<label for="id_name"' in html
    assert 'id="id_name-hint"' in html
    assert field(form["agree"])["is_checkbox"] is True


def test_a_help_text_marked_safe_stays_a_link_and_any_other_is_escaped() -> None:
    """allauth's password field carries « Mot de passe oublié ? » as a link marked safe: it was shown as tags."""
    from django import forms
    from django.utils.safestring import mark_safe

    from participe.core.templatetags.participe import field

    class LoginLike(forms.Form):
        password = forms.CharField(help_text=mark_safe('<a href="/compte/password/reset/">Mot de passe oublié ?</a>'))
        note = forms.CharField(help_text="3 < 5")

    form = LoginLike()
    assert field(form["password"])["hint"] == '<a href="/compte/password/reset/">Mot de passe oublié ?</a>'
    assert field(form["note"])["hint"] == "3 &lt; 5"
