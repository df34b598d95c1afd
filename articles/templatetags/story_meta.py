"""Head tags for machines: absolute addresses, JSON-LD, and the live-update poll interval."""

from django import template
from django.conf import settings

from articles.syndication.structured_data import json_ld_script, news_article

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, story):
    """The story as a schema.org NewsArticle in a script element no text can leave."""
    url = absolute_url(context, story.get_absolute_url())
    return json_ld_script(news_article(story, url))


@register.simple_tag
def publication_name():
    return settings.PUBLICATION_NAME


@register.simple_tag
def live_update_seconds():
    return settings.LIVE_UPDATE_SECONDS


@register.simple_tag(takes_context=True)
def canonical_url(context, *keep):
    """This page's own address, absolute, keeping only the parameters `keep` that page the
    same list (?page=, ?before=), not tracking or other noise a link may have added."""
    request = context["request"]
    params = request.GET.copy()
    for name in list(params):
        if name not in keep:
            del params[name]
    query = params.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))
