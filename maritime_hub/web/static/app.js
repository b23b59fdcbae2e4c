// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy runs no inline script.
// "Back" links (error pages): go back in history when there is one, else follow the link (home).
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[data-back]");
  if (a && history.length > 1) { e.preventDefault(); history.back(); }
});
