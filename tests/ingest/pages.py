"""Real HTML pages written by the tests: a page that is mostly site chrome around a short text."""

from __future__ import annotations

_TOPICS = ["Asthma in adults", "Atrial fibrillation", "Chronic kidney disease", "Depression",
           "Diabetes type 2", "Falls in older people", "Gout", "Heart failure", "Hypertension",
           "Low back pain", "Migraine", "Osteoporosis", "Pneumonia", "Psoriasis", "Sepsis",
           "Stroke rehabilitation", "Urinary tract infection", "Venous thromboembolism"]


def mostly_navigation_page(title: str = "Ankle sprain: when to X-ray") -> str:
    """An HTML page whose article is two sentences inside menus, a sidebar and a footer."""
    menu = "\n".join(f'<li><a href="/topics/{i}">{t} guidance and resources</a></li>'
                     for i, t in enumerate(_TOPICS))
    news = "\n".join(f"<li><a href='/new/{i}'>Updated recommendations on {t.lower()} "
                     f"published this month</a></li>" for i, t in enumerate(_TOPICS))
    return f"""<!DOCTYPE html>
<html lang="en"><head><title>{title} | Example Health Library</title></head>
<body>
<div id="site-masthead"><a href="/">Example Health Library home</a></div>
<nav class="main-menu"><ul>{menu}</ul></nav>
<div class="login-panel"><form action="/login"><h3>Sign in to your account</h3>
<label>Username or email address</label><input name="u"><label>Password</label>
<input type="password" name="p"><p>Forgot your password? Create a new account today.</p></form>
</div>
<main>
<div class="aside-container">
<article>
<h1>{title}</h1>
<p>Apply the Ottawa ankle rules: an X-ray is needed only when there is bone tenderness at the
malleolus or the patient cannot bear weight for four steps.</p>
</article>
<div class="sidebar"><h3>New on Example Health Library</h3><ul>{news}</ul></div>
</div>
</main>
<footer><ul>{menu}</ul><p>Contact us, privacy policy, accessibility statement and terms of
use for this website and its partner sites.</p></footer>
</body></html>
"""
