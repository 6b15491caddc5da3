"""The web back office: server-rendered pages (Jinja2) for owners and the head office.

Layout: :mod:`office.web.access` (who is logged in, what they may see: the helpers every page
uses), :mod:`office.web.gate` (no page or API without a login), :mod:`office.web.guard`
(hostile requests refused early), :mod:`office.web.security` (sessions and CSRF from kept
libraries), :mod:`office.web.render` (templates and words), and the pages themselves
(:mod:`office.web.login`, :mod:`office.web.admin`, :mod:`office.web.pages`).
"""
