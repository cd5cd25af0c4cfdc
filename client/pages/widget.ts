// Placeholder entry so that the multi-page build works; replaced by the real widget page.
document.title = 'Chorus widget demo';
