// Placeholder entry so that the multi-page build works; replaced by the real index page.
document.title = 'Chorus';
