"""The physio report: gather (data.py), draw (charts.py), render (render.py). No Textual;
matplotlib and Jinja2 load only here, when `upright report` runs."""
