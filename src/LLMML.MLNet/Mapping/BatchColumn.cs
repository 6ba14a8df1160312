using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Mapping;

/// <summary>A column a <see cref="BatchedMapping"/> reads from its input, with the CLR type its batch function sees.</summary>
public sealed class BatchInputColumn
{
    private readonly Func<DataViewType, bool> _accepts;

    private BatchInputColumn(string name, Type rawType, Func<DataViewType, bool> accepts, string description)
    {
        Name = name;
        RawType = rawType;
        _accepts = accepts;
        Description = description;
    }

    /// <summary>Input column name.</summary>
    public string Name { get; }

    /// <summary>CLR type of the values (<c>ReadOnlyMemory&lt;char&gt;</c> for text, <c>VBuffer&lt;float&gt;</c> for vectors, <c>uint</c> for keys).</summary>
    public Type RawType { get; }

    /// <summary>What the column must be, for error messages (e.g. "text", "a vector of Single").</summary>
    public string Description { get; }

    /// <summary>
    /// Declares an input column of CLR type <typeparamref name="T"/>. <paramref name="accepts"/> narrows the accepted
    /// column types further (e.g. only key types, only vectors of size 3); by default any column whose raw type is
    /// <typeparamref name="T"/> is accepted.
    /// </summary>
    public static BatchInputColumn Create<T>(string name, Func<DataViewType, bool>? accepts = null, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new BatchInputColumn(name, typeof(T), accepts ?? (_ => true), description ?? DescribeRawType(typeof(T)));
    }

    /// <summary>A text column.</summary>
    public static BatchInputColumn Text(string name) => Create<ReadOnlyMemory<char>>(name, description: "text");

    /// <summary>Checks the column exists in <paramref name="schema"/> with a fitting type; returns it.</summary>
    internal DataViewSchema.Column Resolve(DataViewSchema schema, string mappingName)
    {
        var column = schema.GetColumnOrNull(Name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema),
                $"{mappingName}: input column '{Name}' ({Description}) was not found; the input has: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (column.Type.RawType != RawType || !_accepts(column.Type))
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"{mappingName}: input column '{Name}' must be {Description}, but it is {column.Type}.");
        return column;
    }

    internal static string DescribeRawType(Type t) =>
        t == typeof(ReadOnlyMemory<char>) ? "text" :
        t.IsGenericType && t.GetGenericTypeDefinition() == typeof(VBuffer<>) ? $"a vector of {t.GetGenericArguments()[0].Name}" :
        t.Name;
}

/// <summary>A column a <see cref="BatchedMapping"/> adds to its output.</summary>
public sealed class BatchOutputColumn
{
    private BatchOutputColumn(string name, DataViewType type, DataViewSchema.Annotations? annotations)
    {
        Name = name;
        Type = type;
        Annotations = annotations;
    }

    /// <summary>Output column name; an input column of the same name becomes hidden, as in ML.NET.</summary>
    public string Name { get; }

    /// <summary>Column type; its <see cref="DataViewType.RawType"/> is the CLR type the batch function writes.</summary>
    public DataViewType Type { get; }

    /// <summary>Annotations (e.g. slot names, key values), or null.</summary>
    public DataViewSchema.Annotations? Annotations { get; }

    /// <summary>Declares an output column; <typeparamref name="T"/> must be the raw type of <paramref name="type"/>.</summary>
    public static BatchOutputColumn Create<T>(string name, DataViewType type, DataViewSchema.Annotations? annotations = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(type);
        if (type.RawType != typeof(T))
            throw new ArgumentException($"Output column '{name}' has type {type} whose values are {type.RawType.Name}, not {typeof(T).Name}.", nameof(type));
        return new BatchOutputColumn(name, type, annotations);
    }

    /// <summary>A fixed-size float vector column (e.g. a Score over <paramref name="size"/> classes), optionally with slot names.</summary>
    public static BatchOutputColumn FloatVector(string name, int size, IReadOnlyList<string>? slotNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        DataViewSchema.Annotations? annotations = null;
        if (slotNames is not null)
        {
            if (slotNames.Count != size) throw new ArgumentException($"Column '{name}' has {size} slots but {slotNames.Count} slot names.", nameof(slotNames));
            annotations = TextVectorAnnotation("SlotNames", slotNames, size);
        }
        return Create<VBuffer<float>>(name, new VectorDataViewType(NumberDataViewType.Single, size), annotations);
    }

    /// <summary>
    /// A key column over <paramref name="keyValues"/> (raw values 1..n, 0 = missing), carrying the values as
    /// KeyValues annotation so ML.NET evaluators and MapKeyToValue can name the classes.
    /// </summary>
    public static BatchOutputColumn Key(string name, IReadOnlyList<string> keyValues)
    {
        ArgumentNullException.ThrowIfNull(keyValues);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyValues.Count, 1);
        return Create<uint>(name, new KeyDataViewType(typeof(uint), keyValues.Count),
            TextVectorAnnotation("KeyValues", keyValues, keyValues.Count));
    }

    private static DataViewSchema.Annotations TextVectorAnnotation(string kind, IReadOnlyList<string> values, int size)
    {
        var buffer = new VBuffer<ReadOnlyMemory<char>>(size, values.Select(v => v.AsMemory()).ToArray());
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(kind, new VectorDataViewType(TextDataViewType.Instance, size), (ref VBuffer<ReadOnlyMemory<char>> dst) => buffer.CopyTo(ref dst));
        return builder.ToAnnotations();
    }
}
