#!/bin/sh
# A program objective for test_program.c, in plain sh: behaves as the
# "mode" in its assignment says. BO_CONFIG carries "pid_file".
read -r line
mode=$(echo "$line" | sed 's/.*"mode":"\([a-z]*\)".*/\1/')
pid_file=$(echo "$BO_CONFIG" | sed 's/.*"pid_file":"\([^"]*\)".*/\1/')
case $mode in
    result)
        echo '{"step": 1, "loss": 0.5}'
        echo "plain output"
        echo "{\"loss\": 0.25, \"metrics\": {\"trial\": $BO_TRIAL}}" ;;
    number)
        echo 1e-3 ;;
    fail)
        echo "something went wrong" >&2
        exit 2 ;;
    child)
        sleep 60 &
        echo $! >"$pid_file"
        echo 0.5 ;;
    hang)
        sleep 60 &
        echo "$$ $!" >"$pid_file"
        wait ;;
    inf)
        echo 1e999 ;;
    jobstop)
        # job control stops nothing: bo ignores these for the program
        kill -TSTP $$
        kill -TTIN $$
        kill -TTOU $$
        echo 0.75 ;;
    stopself)
        kill -STOP $$
        echo 0.5 ;;
esac
