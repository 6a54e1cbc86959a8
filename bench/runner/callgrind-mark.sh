#!/bin/sh
# Called by tertulia-loadgen's --mark-command around the measured lockstep messages:
#   callgrind-mark.sh <pid of the valgrind'ed server> begin|end
# begin zeroes callgrind's counters, end dumps them, so the dump holds exactly the measured window.
set -e
case "$2" in
    begin) exec callgrind_control --zero "$1" >/dev/null ;;
    end) exec callgrind_control --dump=measured "$1" >/dev/null ;;
    *) echo "usage: $0 PID begin|end" >&2; exit 2 ;;
esac
