"""The course as a static website: `t2l site build` runs what it shows and writes MyST pages for Sphinx.

    build.py         the jobs, the frame (conf.py, index) and the Sphinx run
    pair_pages.py    a pair's sides side by side, section by section, with its check run at build time
    lesson_pages.py  every lesson with each block's output and pictures (the lessons' own runner)
    gallery.py       every converter and upgrade fixture before and after, with its report and verdict
    sidebyside.py    two files aligned line by line as highlighted HTML
    browser.py       `t2l site check`: every page in Chromium; myst.py: small MyST writers
"""
