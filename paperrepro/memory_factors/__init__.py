"""Orhan & Ma (2019), "A diverse range of factors affect the nature of neural representations underlying
short-term memory", Nat Neurosci 22:275-283.

Discrete non-leaky ReLU RNNs (N = 500) trained on seven short-term-memory tasks with Poisson population inputs under
six conditions over a lambda0 x sigma0 grid; the sequentiality index (SI) measures how sequential or persistent
their delay activity is. Nothing is published to fetch: every network is retrained.

Modules, in the order of the pipeline:

``params``        frozen :class:`~paperrepro.memory_factors.params.Params` of a profile (grid, sizes, bug switches)
``tasks``         task generators (DE-1, DE-2, CD, GDE, 2AFC, Sine, COMP; dynamic-input and variable-delay
                  variants) and the optimal observers
``performance``   fractional information loss against the optimal observer
``model``         K stacked ReLU RNNs (vanilla and Hebbian fast weights) with the pre-activation gradient clamp
``loss``          task loss + activity penalty + L2
``train``         :class:`~paperrepro.memory_factors.train.Trainer`: Adam, monitor, test, atomic checkpoints
``sequentiality`` the SI exactly as the original ``compute_SI`` and the pass filter
``grid``          the networks of a profile (grid, quick and paired factors designs) as units of work; one netCDF
                  result per network; training extended for failing networks; progress with ETA; summary
``results``       the network table and examples the figures read; pinning them with sha256
``analysis``      the statistics: paired Delta SI with Wilcoxon p, Spearman correlations, SI per task, pass fractions,
                  the condition x task effects table
``figure_data``   the figures' data functions (results -> figure dataset)
``plots``         the figures' drawing (figure dataset -> matplotlib figure)
``figures``       the figure registry (registrations only)
``commands``      the ``train``, ``sweep``, ``pin`` and ``effects`` subcommands of ``python -m paperrepro.memory_factors``

The quick profile is the paired ``factors`` design (N = 100; 2AFC, COMP, DE-1; 10 lambda0 x sigma0 points per
condition and task; about 3.6 CPU-hours), whose results are pinned in ``paperrepro/memory_factors/pinned/``: see
``docs/memory_factors.md`` for the design, its cost, the statistics and the provenance of the paper's directions.

Running the paper-scale grid
----------------------------
The ``paper`` profile is N = 500, 25,001 iterations, the 10 x 10 lambda0 x sigma0 grid x tasks x conditions:
about 3,700-4,100 networks, each about 1.0-1.2 CPU-h on an idle core (about 2.7 CPU-h under load; Hebbian +26 %,
multitask twice), so about 4,000-4,500 CPU-h in all: months on 2 cores, about a day on 200.
Every network is one resumable unit of work: its result file
``<data_dir>/memory_factors/paper/<condition>/<task>/rho<rho>/job<jjj>.nc`` is skipped when complete with the same
config hash, and a checkpoint every 1,000 iterations bounds what a pre-emption loses to a few CPU-minutes.

* One network (e.g. one SLURM array task): ``python -m paperrepro.memory_factors train --profile paper --condition
  basic --task 2AFC --job 37`` prints its result file.
* Part of the grid through an executor, then ``<condition>/summary.nc`` per condition:
  ``python -m paperrepro.memory_factors sweep --profile paper --conditions basic --tasks 2AFC,COMP --executor dask
  --jobs 2``.

On a SLURM cluster (extra ``paperrepro[dask]``, which brings dask-jobqueue), start the workers from a Python
session on the login node that stays open during the sweep, one single-threaded worker per job, about 2 GB each::

    from dask_jobqueue import SLURMCluster
    cluster = SLURMCluster(cores=1, processes=1, memory="2GB", walltime="04:00:00",
                           job_script_prologue=["source .venv/bin/activate", "export OMP_NUM_THREADS=1"],
                           worker_extra_args=["--lifetime", "3h50m", "--lifetime-stagger", "5m"])
    cluster.adapt(minimum_jobs=0, maximum_jobs=200)
    print(cluster.scheduler_address)        # tcp://<host>:<port>

and hand that address to the sweep, with ``PAPERREPRO_DATA_DIR`` on storage that every node shares::

    PAPERREPRO_DASK_SCHEDULER=tcp://<host>:<port> python -m paperrepro.memory_factors sweep --profile paper \
        --executor dask

With ``PAPERREPRO_DASK_SCHEDULER`` set, :func:`paperrepro.core.execute.open_executor` connects a client to that
scheduler instead of starting a ``LocalCluster`` (``--jobs`` is then ignored; ``adapt`` sizes the cluster). A
network whose worker is lost (walltime, pre-emption) is rescheduled and resumes from its checkpoint; an
interrupted sweep, run again, skips the finished networks.
"""
