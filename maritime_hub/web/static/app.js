// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy runs no inline script.
// "Back" links (error pages): go back in history when there is one, else follow the link (home).
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[data-back]");
  if (a && history.length > 1) { e.preventDefault(); history.back(); }
});
// The menu button of narrow screens (app.css, under 600 px): opens and closes the nav.
document.addEventListener("click", (e) => {
  const b = e.target.closest("#nav-toggle");
  if (!b) return;
  const nav = document.getElementById("main-nav");
  const open = nav.classList.toggle("open");
  b.setAttribute("aria-expanded", open ? "true" : "false");
});
