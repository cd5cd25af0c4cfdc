// Placeholder entry so that the multi-page build works; replaced by the real dashboard page.
document.title = 'Chorus dashboard';
