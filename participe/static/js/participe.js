// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Bring keyboard and screen-reader users to the error summary of a form that came back with errors.
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
});
