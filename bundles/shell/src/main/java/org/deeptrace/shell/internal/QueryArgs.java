package org.deeptrace.shell.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.karaf.shell.support.CommandException;

/** Parses the time and duration options of the trace commands, naming the option in every error. */
final class QueryArgs {
    private QueryArgs() {
    }

    /**
     * Epoch milliseconds or an ISO-8601 time ({@code 2026-11-25T18:00:00Z}) as ns since the epoch.
     *
     * @param absent returned for a null or blank value
     */
    static long timeNs(String option, String value, long absent) throws CommandException {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String v = value.strip();
        try {
            Instant instant = v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v))
                    : OffsetDateTime.parse(v).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new CommandException(option + " must be epoch milliseconds or an ISO-8601 time such as "
                    + "2026-11-25T18:00:00Z, not '" + value + "'");
        }
    }

    /** Milliseconds (decimals allowed) as ns. */
    static long durationNs(String option, String value, long absent) throws CommandException {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            BigDecimal ms = new BigDecimal(value.strip());
            if (ms.signum() < 0) {
                throw new CommandException(option + " must not be negative, not " + value);
            }
            return ms.multiply(BigDecimal.valueOf(1_000_000)).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
        } catch (NumberFormatException e) {
            throw new CommandException(option + " must be a number of milliseconds, not '" + value + "'");
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
