// Print the events of one iCalendar file as ical.js (Thunderbird's parser) reads them.
// Usage: node parse.mjs FEED.ics  ->  JSON {name, description, events: [{uid, summary, start, end, tzid, status, sequence}]}
// Timed starts are UTC ISO instants; all-day starts are YYYY-MM-DD.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

function when(time) {
  if (time === null) return null;
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const tzid = component.getFirstProperty("dtstart").getParameter("tzid") ?? null;
  if (tzid && !ICAL.TimezoneService.has(tzid)) {
    throw new Error(`TZID ${tzid} has no VTIMEZONE`);
  }
  return {
    uid: event.uid,
    summary: event.summary,
    start: when(event.startDate),
    end: when(event.endDate),
    tzid,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
  };
});
process.stdout.write(JSON.stringify({
  name: calendar.getFirstPropertyValue("x-wr-calname"),
  description: calendar.getFirstPropertyValue("x-wr-caldesc"),
  events,
}));
