package io.glaux.spi.type;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A SQL type, named as in Trino ({@code bigint}, {@code varchar}, {@code timestamp(3)},
 * {@code array(row(a bigint))}). Immutable; equal types are equal records.
 *
 * <p>In-memory (Arrow) representation, fixed for the whole engine:
 * boolean → Bit, tinyint/smallint/integer/bigint → TinyInt/SmallInt/Int/BigInt, real → Float4,
 * double → Float8, varchar and json → VarChar (UTF-8), varbinary, uuid (16 bytes), ipaddress (16 bytes) and ipprefix
 * (17 bytes) → VarBinary, date → DateDay (days since epoch),
 * timestamp(p) → TimeStampMicro (microseconds since epoch, no time zone), time(p) → TimeMicro (microseconds since
 * midnight), interval day to second → BigInt (milliseconds, as Trino), interval year to month → Int (months),
 * timestamp(p) with time zone → BigInt (epoch milliseconds shifted left 12 bits, or-ed with a time zone key, as
 * Trino packs its short timestamp with time zone), decimal(p,s) → Decimal128,
 * array → List, map → Map, row → Struct.
 */
public sealed interface Type
        permits Type.Primitive, Type.Time, Type.Timestamp, Type.TimestampWithTimeZone, Type.Decimal, Type.Varchar, Type.Array, Type.MapType, Type.Row
{
    /** The Trino name, used in the client protocol and in {@code DESCRIBE}. */
    String trinoName();

    /** The Hive metastore spelling of this type. */
    String hiveName();

    enum Kind
    {
        BOOLEAN("boolean", "boolean"),
        TINYINT("tinyint", "tinyint"),
        SMALLINT("smallint", "smallint"),
        INTEGER("integer", "int"),
        BIGINT("bigint", "bigint"),
        REAL("real", "float"),
        DOUBLE("double", "double"),
        VARBINARY("varbinary", "binary"),
        DATE("date", "date"),
        /** Trino's uuid (16 bytes); not a column type of Hive tables. */
        UUID("uuid", "string"),
        /** Trino's ipaddress: 16 bytes, an IPv4 address mapped into IPv6 ({@code ::ffff:a.b.c.d}); not a column type of Hive tables. */
        IPADDRESS("ipaddress", "string"),
        /** Trino's ipprefix: 17 bytes, the network address (16 bytes, as ipaddress) and the prefix length; not a column type of Hive tables. */
        IPPREFIX("ipprefix", "string"),
        /** Trino's json: the compact JSON text (UTF-8), as varchar holds it; not a column type of Hive tables. */
        JSON("json", "string"),
        /** A duration in milliseconds; a value of expressions, not a column type of Hive tables. */
        INTERVAL_DAY_TO_SECOND("interval day to second", "interval_day_time"),
        /** A number of months; a value of expressions, not a column type of Hive tables. */
        INTERVAL_YEAR_TO_MONTH("interval year to month", "interval_year_month");

        private final String trinoName;
        private final String hiveName;

        Kind(String trinoName, String hiveName)
        {
            this.trinoName = trinoName;
            this.hiveName = hiveName;
        }
    }

    record Primitive(Kind kind)
            implements Type
    {
        public Primitive
        {
            requireNonNull(kind, "kind is null");
        }

        @Override
        public String trinoName()
        {
            return kind.trinoName;
        }

        @Override
        public String hiveName()
        {
            return kind.hiveName;
        }
    }

    /** {@code varchar} when length is empty (Hive {@code string}), else {@code varchar(n)}. */
    record Varchar(int length)
            implements Type
    {
        public static final int UNBOUNDED = Integer.MAX_VALUE;

        @Override
        public String trinoName()
        {
            return length == UNBOUNDED ? "varchar" : "varchar(" + length + ")";
        }

        @Override
        public String hiveName()
        {
            return length == UNBOUNDED ? "string" : "varchar(" + length + ")";
        }
    }

    /** Time of day without time zone with {@code precision} fractional digits (stored as micros since midnight). */
    record Time(int precision)
            implements Type
    {
        @Override
        public String trinoName()
        {
            return "time(" + precision + ")";
        }

        @Override
        public String hiveName()
        {
            return "string";
        }
    }

    /** Timestamp without time zone with {@code precision} fractional digits (stored as micros). */
    record Timestamp(int precision)
            implements Type
    {
        @Override
        public String trinoName()
        {
            return "timestamp(" + precision + ")";
        }

        @Override
        public String hiveName()
        {
            return "timestamp";
        }
    }

    /**
     * Timestamp with time zone with {@code precision} fractional digits: an instant and the zone it is shown in.
     * Values are held to the millisecond (a precision above 3 keeps milliseconds).
     */
    record TimestampWithTimeZone(int precision)
            implements Type
    {
        @Override
        public String trinoName()
        {
            return "timestamp(" + precision + ") with time zone";
        }

        @Override
        public String hiveName()
        {
            return "timestamp";
        }
    }

    record Decimal(int precision, int scale)
            implements Type
    {
        @Override
        public String trinoName()
        {
            return "decimal(" + precision + "," + scale + ")";
        }

        @Override
        public String hiveName()
        {
            return trinoName();
        }
    }

    record Array(Type element)
            implements Type
    {
        public Array
        {
            requireNonNull(element, "element is null");
        }

        @Override
        public String trinoName()
        {
            return "array(" + element.trinoName() + ")";
        }

        @Override
        public String hiveName()
        {
            return "array<" + element.hiveName() + ">";
        }
    }

    record MapType(Type key, Type value)
            implements Type
    {
        public MapType
        {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }

        @Override
        public String trinoName()
        {
            return "map(" + key.trinoName() + ", " + value.trinoName() + ")";
        }

        @Override
        public String hiveName()
        {
            return "map<" + key.hiveName() + "," + value.hiveName() + ">";
        }
    }

    record Field(String name, Type type)
    {
        public Field
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    record Row(List<Field> fields)
            implements Type
    {
        public Row
        {
            fields = List.copyOf(fields);
        }

        @Override
        public String trinoName()
        {
            StringBuilder sb = new StringBuilder("row(");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(fields.get(i).name()).append(' ').append(fields.get(i).type().trinoName());
            }
            return sb.append(')').toString();
        }

        @Override
        public String hiveName()
        {
            StringBuilder sb = new StringBuilder("struct<");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(fields.get(i).name()).append(':').append(fields.get(i).type().hiveName());
            }
            return sb.append('>').toString();
        }
    }

    Type BOOLEAN = new Primitive(Kind.BOOLEAN);
    Type TINYINT = new Primitive(Kind.TINYINT);
    Type SMALLINT = new Primitive(Kind.SMALLINT);
    Type INTEGER = new Primitive(Kind.INTEGER);
    Type BIGINT = new Primitive(Kind.BIGINT);
    Type REAL = new Primitive(Kind.REAL);
    Type DOUBLE = new Primitive(Kind.DOUBLE);
    Type VARBINARY = new Primitive(Kind.VARBINARY);
    Type DATE = new Primitive(Kind.DATE);
    Type UUID = new Primitive(Kind.UUID);
    Type IPADDRESS = new Primitive(Kind.IPADDRESS);
    Type IPPREFIX = new Primitive(Kind.IPPREFIX);
    Type JSON = new Primitive(Kind.JSON);
    Type INTERVAL_DAY_TO_SECOND = new Primitive(Kind.INTERVAL_DAY_TO_SECOND);
    Type INTERVAL_YEAR_TO_MONTH = new Primitive(Kind.INTERVAL_YEAR_TO_MONTH);
    Type TIME = new Time(3);
    Type VARCHAR = new Varchar(Varchar.UNBOUNDED);
    Type TIMESTAMP = new Timestamp(3);
    Type TIMESTAMP_TZ = new TimestampWithTimeZone(3);
}
