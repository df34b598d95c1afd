/*
 * Tells a reader on a story page, without a reload, that the story has a newer revision.
 *
 * The page marks an empty role="status" region with the story's version address, the
 * revision it was built from and how often to ask (data-poll-seconds). This script asks
 * with If-None-Match, so while nothing changed the answer is an empty 304; it asks less
 * and less often while the tab is hidden or the server is away, and at once when the tab
 * is shown again. A static file with no inline code, so a strict Content-Security-Policy
 * can apply; without JavaScript the page is the same, less the notice.
 */
(function () {
  "use strict";

  var region = document.querySelector(".live-update[data-version-url]");
  if (!region || !window.fetch) {
    return;
  }
  var versionUrl = region.getAttribute("data-version-url");
  var shown = Number(region.getAttribute("data-revision"));
  var interval = Math.max(1, Number(region.getAttribute("data-poll-seconds")) || 30) * 1000;
  var longest = 10 * 60 * 1000;
  var delay = interval;
  var etag = null;
  var timer = null;

  function plural(count, unit) {
    return count + " " + unit + (count === 1 ? "" : "s");
  }

  function updatedAgo(iso) {
    var minutes = Math.floor((Date.now() - Date.parse(iso)) / 60000);
    if (!(minutes >= 1)) {
      return "Updated just now";
    }
    if (minutes < 60) {
      return "Updated " + plural(minutes, "minute") + " ago";
    }
    var hours = Math.floor(minutes / 60);
    if (hours < 48) {
      return "Updated " + plural(hours, "hour") + " ago";
    }
    return "Updated " + plural(Math.floor(hours / 24), "day") + " ago";
  }

  function announce(version) {
    var notice = document.createElement("p");
    var when = document.createElement("time");
    when.setAttribute("datetime", version.updated_at);
    when.textContent = updatedAgo(version.updated_at);
    var link = document.createElement("a");
    // Its own address, so no cache hands back the page as it was.
    link.href = version.url + "?v=" + encodeURIComponent(version.revision);
    link.textContent = "read the new version";
    notice.appendChild(when);
    notice.appendChild(document.createTextNode(" — "));
    notice.appendChild(link);
    region.replaceChildren(notice);
  }

  function schedule(wait) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, wait);
  }

  function slower() {
    delay = Math.min(delay * 2, longest);
  }

  function poll() {
    var headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    // "no-store": the browser neither answers from its cache nor adds validators of its
    // own, so a 304 reaches this script as a 304.
    fetch(versionUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          throw new Error("version check answered " + response.status);
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (version) {
        if (version && version.revision > shown) {
          shown = version.revision;
          announce(version);
        }
        if (document.hidden) {
          slower();
        } else {
          delay = interval;
        }
      })
      .catch(slower)
      .then(function () {
        schedule(delay);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      delay = interval;
      schedule(0);
    }
  });

  schedule(interval);
})();
