using Microsoft.ML;

namespace LLMML.MLNet.Catalog;

/// <summary>
/// The device request an <see cref="MLContext"/> carries, as plain values (this layer never loads torch):
/// the LM layer turns it into a torch device, using the GPU when one is requested and available and
/// falling back to the CPU only when allowed.
/// </summary>
/// <param name="GpuDeviceId">The CUDA device index asked for, or null for CPU.</param>
/// <param name="FallbackToCpu">Whether to run on the CPU when the requested GPU is unavailable instead of failing.</param>
public sealed record LlmDeviceSelection(int? GpuDeviceId, bool FallbackToCpu)
{
    /// <summary>CPU only.</summary>
    public static LlmDeviceSelection Cpu { get; } = new(null, true);

    /// <summary>Reads <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/>.</summary>
    public static LlmDeviceSelection From(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new(mlContext.GpuDeviceId, mlContext.FallbackToCpu);
    }

    /// <summary>Whether a GPU was asked for.</summary>
    public bool WantsGpu => GpuDeviceId is not null;

    /// <summary>Torch-style name of the preferred device: "cuda:N" or "cpu".</summary>
    public string PreferredDeviceName => GpuDeviceId is { } id ? $"cuda:{id}" : "cpu";

    /// <summary>
    /// The device name to use given whether CUDA is available: the GPU when asked and available, the CPU when
    /// not asked or when falling back is allowed; otherwise an <see cref="InvalidOperationException"/>.
    /// </summary>
    public string Resolve(bool cudaAvailable)
    {
        if (GpuDeviceId is not { } id) return "cpu";
        if (cudaAvailable) return $"cuda:{id}";
        if (FallbackToCpu) return "cpu";
        throw new InvalidOperationException(
            $"MLContext.GpuDeviceId = {id} asks for a GPU, CUDA is not available, and MLContext.FallbackToCpu is false.");
    }
}
