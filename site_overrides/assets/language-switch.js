// The language switch keeps the reader where they are: the same page in the other language, with this
// page's query and fragment (on the decision aid, the answers given so far) carried over at the moment
// of the click, since the wizard changes them as the reader answers.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-keep-query]") : null;
  if (!link) return;
  const target = new URL(link.href, window.location.href);
  target.search = window.location.search;
  target.hash = window.location.hash;
  link.href = target.href;
});
