// Behaviour every page may use, without inline script (the Content Security Policy forbids it).
// A form with data-confirm="question" asks before it is sent.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
