using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LLMML.Foundation.Persistence;

/// <summary>
/// A dense, row-major array with a shape and an element type, held as little-endian bytes exactly as
/// safetensors stores it. This is the torch-free currency of persistence: a TorchSharp component converts
/// its tensors to and from it at the edge, and ML.NET-only components use the typed factory methods.
/// </summary>
public sealed class TensorData
{
    private readonly byte[] _bytes;
    private readonly long[] _shape;

    /// <summary>Wraps raw little-endian bytes; the byte count must match the shape and dtype.</summary>
    public TensorData(TensorDType dtype, ReadOnlySpan<long> shape, byte[] littleEndianBytes)
    {
        ArgumentNullException.ThrowIfNull(littleEndianBytes);
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"Tensor shape [{string.Join(", ", shape.ToArray())}] has a negative dimension.", nameof(shape));
        long expected = checked(ElementCountOf(shape) * dtype.SizeOf());
        if (expected != littleEndianBytes.LongLength)
            throw new ArgumentException(
                $"A {dtype} tensor of shape [{string.Join(", ", shape.ToArray())}] needs {expected} bytes, got {littleEndianBytes.LongLength}.",
                nameof(littleEndianBytes));
        DType = dtype;
        _shape = shape.ToArray();
        _bytes = littleEndianBytes;
    }

    /// <summary>Element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount => ElementCountOf(_shape);

    /// <summary>The little-endian bytes (not copied; do not mutate).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Copies a float array; null shape means one dimension of the array's length, an empty one a scalar.</summary>
    public static TensorData FromFloat32(ReadOnlySpan<float> values, long[]? shape = null) => From(TensorDType.Float32, values, shape);

    /// <summary>Copies a double array; null shape means one dimension of the array's length, an empty one a scalar.</summary>
    public static TensorData FromFloat64(ReadOnlySpan<double> values, long[]? shape = null) => From(TensorDType.Float64, values, shape);

    /// <summary>Copies an int array; null shape means one dimension of the array's length, an empty one a scalar.</summary>
    public static TensorData FromInt32(ReadOnlySpan<int> values, long[]? shape = null) => From(TensorDType.Int32, values, shape);

    /// <summary>Copies a long array; null shape means one dimension of the array's length, an empty one a scalar.</summary>
    public static TensorData FromInt64(ReadOnlySpan<long> values, long[]? shape = null) => From(TensorDType.Int64, values, shape);

    /// <summary>The elements as floats; throws when the dtype is not <see cref="TensorDType.Float32"/>.</summary>
    public float[] ToFloat32Array() => To<float>(TensorDType.Float32);

    /// <summary>The elements as doubles; throws when the dtype is not <see cref="TensorDType.Float64"/>.</summary>
    public double[] ToFloat64Array() => To<double>(TensorDType.Float64);

    /// <summary>The elements as ints; throws when the dtype is not <see cref="TensorDType.Int32"/>.</summary>
    public int[] ToInt32Array() => To<int>(TensorDType.Int32);

    /// <summary>The elements as longs; throws when the dtype is not <see cref="TensorDType.Int64"/>.</summary>
    public long[] ToInt64Array() => To<long>(TensorDType.Int64);

    /// <summary>Shape as text, e.g. "[2, 3]".</summary>
    public string ShapeText => "[" + string.Join(", ", _shape) + "]";

    internal static long ElementCountOf(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n = checked(n * d);
        return n;
    }

    private static TensorData From<T>(TensorDType dtype, ReadOnlySpan<T> values, long[]? shape) where T : unmanaged
    {
        shape ??= [values.Length];
        var bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian) ReverseElements(bytes, dtype.SizeOf());
        return new TensorData(dtype, shape, bytes);
    }

    private T[] To<T>(TensorDType dtype) where T : unmanaged
    {
        if (DType != dtype)
            throw new InvalidOperationException($"The tensor holds {DType} elements, not {dtype}.");
        var result = new T[ElementCount];
        var target = MemoryMarshal.AsBytes(result.AsSpan());
        _bytes.AsSpan().CopyTo(target);
        if (!BitConverter.IsLittleEndian) ReverseElements(target, dtype.SizeOf());
        return result;
    }

    private static void ReverseElements(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(bytes), MemoryMarshal.Cast<byte, int>(bytes)); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(bytes), MemoryMarshal.Cast<byte, long>(bytes)); break;
        }
    }
}
