namespace Cohort.NN.Optimizers;

/// <summary>
/// The bookkeeping every optimizer shares: learning rate, step counter and flat state vectors
/// allocated once, sized to the parameters, so that steps allocate nothing.
/// </summary>
public abstract class FlatOptimizer : IOptimizer
{
    private float[][] _state = [];
    private float _learningRate;
    private int _stepCount;

    protected FlatOptimizer(string name, float learningRate)
    {
        Name = name;
        LearningRate = learningRate;
    }

    /// <summary>The optimizer's name in messages.</summary>
    public string Name { get; }

    public float LearningRate
    {
        get => _learningRate;
        set
        {
            OptimizerChecks.NonNegative(Name, "lr", value);
            _learningRate = value;
        }
    }

    public int StepCount
    {
        get => _stepCount;
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), $"{Name}: step count must be >= 0, got {value}.");
            }
            _stepCount = value;
        }
    }

    public IReadOnlyList<float[]> State => _state;

    /// <summary>How many state vectors the optimizer keeps (0 for plain SGD).</summary>
    protected abstract int StateVectorCount { get; }

    public void Initialize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int count = StateVectorCount;
        if (_state.Length != count || (count > 0 && _state[0].Length != length))
        {
            _state = new float[count][];
            for (int i = 0; i < count; i++)
            {
                _state[i] = new float[length];
            }
        }
        Reset();
    }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerChecks.SameLength(Name, parameters, gradients);
        EnsureState(parameters.Length);
        // torch increments the step before the update, so the first update sees step 1.
        _stepCount++;
        Update(parameters, gradients, _stepCount);
    }

    public void Reset()
    {
        for (int i = 0; i < _state.Length; i++)
        {
            _state[i].AsSpan().Fill(InitialStateValue(i));
        }
        _stepCount = 0;
    }

    /// <summary>One update; <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int step);

    /// <summary>The value a fresh state vector holds (zero unless the method starts elsewhere).</summary>
    protected virtual float InitialStateValue(int vector) => 0f;

    /// <summary>State vector <paramref name="index"/>, valid inside <see cref="Update"/>.</summary>
    protected Span<float> StateVector(int index) => _state[index];

    private void EnsureState(int length)
    {
        if (StateVectorCount == 0 || (_state.Length > 0 && _state[0].Length == length))
        {
            return;
        }
        if (_state.Length > 0 && _stepCount > 0)
        {
            throw new ArgumentException(
                $"{Name}: state holds {_state[0].Length} values but the step has {length} parameters; call Reset() before stepping a vector of another length.");
        }
        Initialize(length);
    }
}
