namespace LLMML.Foundation.Persistence;

/// <summary>Element types an archive tensor may hold, with their safetensors spelling.</summary>
public enum TensorDType
{
    /// <summary>32-bit IEEE float ("F32").</summary>
    Float32,
    /// <summary>64-bit IEEE float ("F64").</summary>
    Float64,
    /// <summary>32-bit signed integer ("I32").</summary>
    Int32,
    /// <summary>64-bit signed integer ("I64").</summary>
    Int64,
}

/// <summary>Conversions between <see cref="TensorDType"/> and the safetensors header strings.</summary>
public static class TensorDTypes
{
    /// <summary>Bytes one element occupies.</summary>
    public static int SizeOf(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => 4,
        TensorDType.Float64 => 8,
        TensorDType.Int32 => 4,
        TensorDType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>The safetensors header name, e.g. "F32".</summary>
    public static string ToSafetensorsName(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "F32",
        TensorDType.Float64 => "F64",
        TensorDType.Int32 => "I32",
        TensorDType.Int64 => "I64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>Parses a safetensors dtype name; false for names this reader does not support (e.g. BF16).</summary>
    public static bool TryParseSafetensorsName(string name, out TensorDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = TensorDType.Float32; return true;
            case "F64": dtype = TensorDType.Float64; return true;
            case "I32": dtype = TensorDType.Int32; return true;
            case "I64": dtype = TensorDType.Int64; return true;
            default: dtype = default; return false;
        }
    }
}
