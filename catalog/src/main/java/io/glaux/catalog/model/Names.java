package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** Name checks shared by the model records: names are folded to lower case, as Hive and Trino do. */
final class Names
{
    private Names() {}

    static String lowerName(String name, String what)
    {
        requireNonNull(name, what + " is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
