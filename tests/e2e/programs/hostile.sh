#!/bin/sh
# A program objective that misbehaves as told by its "mode" parameter.
read -r line
mode=$(echo "$line" | sed 's/.*"mode":"\([a-z0-9]*\)".*/\1/')
case $mode in
    ok)      echo 0.5 ;;
    segv)    kill -SEGV $$ ;;
    abort)   kill -ABRT $$ ;;
    exit1)   echo "something went wrong" >&2; exit 1 ;;
    silent)  exit 0 ;;
    hang)    sleep 100 ;;
    garbage) printf 'no json here\n\001\002 binary junk\n{"loss": oops}\n' ;;
    nan)     echo '{"loss": NaN}' ;;
    inf)     echo 1e999 ;;
    child)   (sleep 100 &) ; echo 0.25 ;;
esac
