-- wrk script of the write path "creating an enrollment" (scripts/bench.sh): POSTs the enrollment
-- form as the browser's plain submit does, one work item (student, course, facility, configuration)
-- per request, each thread its own slice of the work file so no two requests enroll the same thing.
--
--   wrk ... -s scripts/bench-enroll.lua URL -- WORK_FILE THREADS CSRF_TOKEN PROGRAM_ID ENROLLMENT_DATE NOTE [SESSIONS_FILE]
--
-- WORK_FILE: one line per item, "student_id,course_id,facility_id,age_group,location_type,session_type",
-- optionally followed by ",class_id": the post then names that class (the form's class_id; no
-- waitlist=yes, so a full class is refused, and counted as a failure).
-- Success is what the handler answers a plain post: 303 to /students/<id>. Anything else (422 with
-- the form again, 4xx, 5xx) is a failure; wrk only counts socket errors and non-2xx itself, and a
-- 303 is not 2xx, so this script counts both outcomes and prints them in done().

local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  -- The thread count comes as an argument: init() of a thread runs before the next thread exists.
  local work_file, threads_total, csrf, program, date, note, sessions_file =
    args[1], tonumber(args[2]), args[3], args[4], args[5], args[6], args[7]
  -- SESSIONS_FILE (optional): "cookie csrf_token" a line, one signed-in coordinator each; the
  -- requests go round them, as a front desk of several people would post, instead of all
  -- through one session row.
  sessions = {}
  if sessions_file and sessions_file ~= "" then
    for line in io.lines(sessions_file) do
      local cookie, token = line:match("^(%S+) (%S+)$")
      if cookie then table.insert(sessions, { cookie = cookie, csrf = token }) end
    end
  end
  local fields = {}
  local n = 0
  for line in io.lines(work_file) do
    n = n + 1
    -- Thread k of N takes lines k, k+N, k+2N...: disjoint slices without knowing N in advance.
    if (n - 1) % threads_total == index then
      local s, c, f, a, l, t, k = line:match("^([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),?([^,]*)$")
      local form = {
        "program_context=" .. urlencode(program),
        "student_id=" .. s, "student_search=", "course_id=" .. c, "facility_id=" .. f,
        "age_group=" .. urlencode(a), "location_type=" .. urlencode(l), "session_type=" .. urlencode(t),
        "enrollment_date=" .. date, "assignment_notes=" .. urlencode(note),
      }
      if k ~= "" then table.insert(form, "class_id=" .. k) end
      table.insert(fields, table.concat(form, "&"))
    end
  end
  bodies = fields
  default_csrf = csrf
  -- wrk.format uses the headers given instead of wrk.headers (the -H Cookie), not on top of them.
  post_headers = {}
  for name, value in pairs(wrk.headers) do post_headers[name] = value end
  post_headers["Content-Type"] = "application/x-www-form-urlencoded"
  next_body = 1
  successes = 0
  failures = 0
  exhausted = 0
  statuses = {}
end

function request()
  local body = bodies[next_body]
  if body == nil then
    -- Out of work: repeat the last item, which the app refuses as a duplicate (a failure).
    exhausted = exhausted + 1
    body = bodies[#bodies] or ""
  else
    next_body = next_body + 1
  end
  local token = default_csrf
  if #sessions > 0 then
    local s = sessions[(next_body + index) % #sessions + 1]
    post_headers["Cookie"] = s.cookie
    token = s.csrf
  end
  return wrk.format("POST", wrk.path, post_headers, "csrf_token=" .. urlencode(token) .. "&" .. body)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status == 303 and location:match("^/students/") then
    successes = successes + 1
  else
    failures = failures + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ok, bad, out_of_work = 0, 0, 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("successes")
    bad = bad + thread:get("failures")
    out_of_work = out_of_work + thread:get("exhausted")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local detail = {}
  for status, count in pairs(by_status) do table.insert(detail, status .. "x" .. count) end
  io.write(string.format("bench-enroll successes %d failures %d exhausted %d statuses %s\n",
    ok, bad, out_of_work, table.concat(detail, ",")))
end
