/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-pci private definitions: the per-device structure shared by the
 * files of vfio-pci, and the functions they call in each other.
 *
 * The files, and which may call which, one way only (no file calls a
 * file above it, nor one beside it unless an arrow says so):
 *
 *   vfio_pci_core.c      driver, device file callbacks, ioctls, mmap
 *        |
 *        +--> vfio_pci_config.c  config space virtualization
 *        |        |
 *        |        +--> vfio_pci_intrs.c  (the virtual INTx disable bit)
 *        |
 *        +--> vfio_pci_intrs.c   interrupts, VFIO_DEVICE_SET_IRQS
 *        +--> vfio_pci_rdwr.c    BAR and ROM read/write, ioeventfds
 *        |
 *   all of the above --> vfio_pci_memory.c  memory_lock: decode, power
 *                    --> vfio_pci_virqfd.c  eventfd -> handler plumbing
 *
 * vfio_pci_memory.c and vfio_pci_virqfd.c call no other file of vfio-pci.
 * Data goes the other way through struct vfio_pci_device, never through
 * calls: vconfig, which vfio_pci_config.c owns, is read elsewhere only
 * through the accessors below.
 */
#ifndef VFIO_PCI_PRIV_H
#define VFIO_PCI_PRIV_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <asm/unaligned.h>

/*
 * Region index N of a device file lives at offset N << 40; what is below
 * is the offset within the region.  Not uapi: userspace must use the
 * offsets that VFIO_DEVICE_GET_REGION_INFO reports.  Offsets come from the
 * user as u64 (ioctls) or loff_t (file positions): the index is computed
 * on the unsigned value, so that an offset with bit 63 set gives a huge
 * index that every range check refuses, never a negative one that passes
 * a "> BAR5" test (6.1's VFIO_DEVICE_IOEVENTFD bug).
 */
#define VFIO_PCI_OFFSET_SHIFT		40
#define VFIO_PCI_OFFSET_TO_INDEX(off)	((u64)(off) >> VFIO_PCI_OFFSET_SHIFT)
#define VFIO_PCI_INDEX_TO_OFFSET(index)	((u64)(index) << VFIO_PCI_OFFSET_SHIFT)
#define VFIO_PCI_OFFSET_MASK		(((u64)1 << VFIO_PCI_OFFSET_SHIFT) - 1)

/* Shadow ROMs appear as 128 KiB option ROMs */
#define VFIO_PCI_SHADOW_ROM_SIZE	0x20000

/* The VGA region: legacy VGA memory ends at 0xbffff */
#define VFIO_PCI_VGA_REGION_SIZE	0xc0000

/* vfio_pci_device.msix_bar of a device without MSI-X: no BAR */
#define VFIO_PCI_NO_MSIX_BAR		0xff

struct vfio_pci_irq_ctx;
struct vfio_pci_virqfd;

/**
 * struct vfio_pci_device - a PCI device bound to vfio-pci
 * @vdev: the core's device; vdev.dev is &pdev->dev
 * @pdev: the PCI device, set at probe
 * @needs_pm_restore: the device loses its state in D3hot (probe)
 * @has_vga: the device has the VGA region (probe)
 * @nointx: INTx is broken on this device and hidden from the user
 * @reset_works: a function reset worked at open_device time
 * @in_use: open_device has begun and close_device not yet ended; and
 * @needs_reset: released without a function reset since the last bus
 *	reset; both under vfio_pci_reset_lock (vfio_pci_core.c)
 * @pci_2_3: INTx can be masked with PCI_COMMAND_INTX_DISABLE
 * @extended_caps: the device has PCIe/PCI-X 2.0 extended capabilities
 * @bar_mmap_supported: BAR i may be mmap()ed
 * @dummy_res: reservation of the rest of the page of sub-page BAR i
 * @msix_bar: BAR holding the MSI-X table, or VFIO_PCI_NO_MSIX_BAR
 * @msix_offset: offset of the MSI-X table in @msix_bar
 * @msix_size: size of the MSI-X table in bytes
 * @pci_saved_state: config state saved at open, restored at close
 * @pm_save: state saved on entering D3hot when @needs_pm_restore
 * @memory_lock: the memory decode and power state the user sees
 * @vma_lock: protects @vma_list
 * @vma_list: mmap()s of BARs with pages mapped in (struct vfio_pci_vma)
 * @bar_lock: protects @barmap
 * @barmap: BAR i mapped with pci_iomap() and its region requested; or NULL
 * @ioeventfds_lock: protects @ioeventfds_list and @ioeventfds_nr
 * @ioeventfds_list: ioeventfds (struct vfio_pci_ioeventfd)
 * @ioeventfds_nr: number of entries in @ioeventfds_list
 * @config_lock: serialises config space accesses of the user
 * @vconfig: virtual config space, cfg_size bytes
 * @vmask: per bit of config space, 1 if it reads from @vconfig
 * @wmask: per bit of config space, 1 if the user may write it
 * @cfg_map: per byte of config space, the capability holding it
 * @rbar: BARs 0-5 and ROM BAR as the host programmed them, to restore
 *	them after a reset that the device did behind our back
 * @bardirty: the user wrote a BAR of @vconfig; fix it up before reading
 * @msi_pos: offset of the visible MSI capability, or 0
 * @pm_pos: offset of the visible PM capability, or 0
 * @exp_pos: offset of the visible PCIe capability, or 0
 * @af_pos: offset of the visible Advanced Features capability, or 0
 * @vpd_pos: offset of the visible VPD capability, or 0
 * @msi_qmax: log2 of the number of MSI vectors last enabled (kept across
 *	opens, as upstream does)
 * @igate: protects the interrupt state below
 * @irqlock: protects the INTx masked state, taken in the INTx handler
 * @irq_type: VFIO_PCI_{INTX,MSI,MSIX}_IRQ_INDEX, or VFIO_PCI_NUM_IRQS
 * @num_ctx: number of entries in @ctx
 * @ctx: per vector interrupt state of @irq_type
 * @virq_disabled: the user set PCI_COMMAND_INTX_DISABLE in @vconfig
 * @err_trigger: eventfd signalled on AER errors
 * @req_trigger: eventfd signalled when the kernel wants the device back
 *
 * Lifetime: allocated by probe and freed by remove, after
 * vfio_unregister_group_dev() returned, so no callback can run any more.
 * The core serialises open_device and close_device, and calls read, write,
 * ioctl and mmap only between them (a mapping holds the device file open,
 * so close_device never runs while one exists).  @needs_pm_restore and
 * @has_vga are constant while bound; @nointx to @pci_saved_state and the config space
 * layout (@cfg_map, @vmask, @wmask, @rbar, the *_pos members) are set by
 * open_device and constant until close_device.  @pm_save changes with
 * the power state, under @memory_lock for write.
 *
 * Locking, outermost first:
 *   @config_lock -> mmap_lock -> @vma_lock -> @memory_lock (write), when
 *	a config write zaps the mappings (the mmap_lock of each process
 *	with one; @vma_lock is dropped to take it)
 *   mmap_lock -> @vma_lock -> @memory_lock (read), in the page fault path
 *   mmap_lock -> @bar_lock -> @memory_lock, in mmap()
 *   @config_lock -> @igate -> @irqlock
 *   @igate -> @memory_lock
 *   @ioeventfds_lock -> @bar_lock
 * @igate and @ioeventfds_lock also wait for the eventfd work items (see
 * vfio_pci_virqfd.c), which take @memory_lock for read.
 * @memory_lock is held for read around every access to device memory and
 * the mapping of BAR pages into a process, and for write while memory
 * decode or the power state changes, or the device resets.  Whoever takes
 * it for write so that BAR memory stops responding first zaps the BAR
 * mappings (vfio_pci_zap_and_down_write_memory_lock()).  @vconfig's
 * PCI_COMMAND memory and I/O enable bits change only under @memory_lock
 * for write.  No user memory is touched under @config_lock, @bar_lock
 * or @memory_lock (a fault on a BAR mapping could need them).
 * @irq_type, @virq_disabled and @msi_qmax are written under @igate and
 * also read locklessly (the INTx handler, config space).  The eventfds
 * and @ctx are put or freed under @igate; the INTx handler uses @ctx[0],
 * and free_irq() waits for it (see vfio_pci_intrs.c for the rest).
 */
struct vfio_pci_device {
	struct vfio_device		vdev;
	struct pci_dev			*pdev;

	bool				needs_pm_restore;
	bool				has_vga;

	bool				nointx;
	bool				reset_works;
	bool				in_use;
	bool				needs_reset;
	bool				pci_2_3;
	bool				extended_caps;
	bool				bar_mmap_supported[PCI_STD_NUM_BARS];
	struct resource			*dummy_res[PCI_STD_NUM_BARS];
	u8				msix_bar;
	u32				msix_offset;
	u32				msix_size;
	struct pci_saved_state		*pci_saved_state;
	struct pci_saved_state		*pm_save;

	struct rw_semaphore		memory_lock;	/* decode, power */
	struct mutex			vma_lock;	/* vma_list */
	struct list_head		vma_list;

	struct mutex			bar_lock;	/* barmap, ROM */
	void __iomem			*barmap[PCI_STD_NUM_BARS];

	struct mutex			ioeventfds_lock; /* the list */
	struct list_head		ioeventfds_list;
	int				ioeventfds_nr;

	struct mutex			config_lock;	/* user config */
	u8				*vconfig;
	u8				*vmask;
	u8				*wmask;
	u8				*cfg_map;
	u32				rbar[PCI_STD_NUM_BARS + 1];
	bool				bardirty;
	u8				msi_pos;
	u8				pm_pos;
	u8				exp_pos;
	u8				af_pos;
	u8				vpd_pos;
	u8				msi_qmax;

	struct mutex			igate;		/* interrupts */
	spinlock_t			irqlock;	/* INTx mask */
	int				irq_type;
	int				num_ctx;
	struct vfio_pci_irq_ctx		*ctx;
	bool				virq_disabled;
	struct eventfd_ctx		*err_trigger;
	struct eventfd_ctx		*req_trigger;
};

/*
 * BAR mmap()s.  A mapping gets its pages in its fault handler, and only
 * while the user has memory decode enabled; when decode goes away (or the
 * device resets or leaves D0) every mapping's pages are zapped, so that
 * no access from the user reaches a BAR that does not respond.
 *
 * struct vfio_pci_vma tracks one VMA mapping a BAR: allocated by mmap()
 * and by vm_ops->open (fork, split, mremap), freed by vm_ops->close, and
 * on vdev->vma_list in between; vma->vm_private_data points to it.
 * @mapped says whether the VMA may have pages in: set by the fault
 * handler (and open, as fork copies pages), cleared by the zap.  The list
 * and @mapped are protected by vdev->vma_lock.
 */
struct vfio_pci_vma {
	struct vfio_pci_device	*vdev;
	struct vm_area_struct	*vma;
	struct list_head	next;
	bool			mapped;
};

/* Is power state @a shallower than @b?  (pci_power_t is __bitwise) */
static inline bool vfio_pci_power_below(pci_power_t a, pci_power_t b)
{
	return (__force int)a < (__force int)b;
}

/*
 * Accessors of the virtual config space, which vfio_pci_config.c owns and
 * builds at open_device (little-endian, as config space is).
 *
 * The command register: its memory and I/O enable bits as the user set
 * them, which change under memory_lock for write.
 */
static inline u16 vfio_pci_vconfig_command(struct vfio_pci_device *vdev)
{
	return get_unaligned_le16(vdev->vconfig + PCI_COMMAND);
}

/* The interrupt pin the user sees, constant while open: 0 hides INTx */
static inline u8 vfio_pci_vconfig_intx_pin(struct vfio_pci_device *vdev)
{
	return vdev->vconfig[PCI_INTERRUPT_PIN];
}

/* vfio_pci_config.c */
int vfio_pci_config_init(struct vfio_pci_device *vdev);
void vfio_pci_config_free(struct vfio_pci_device *vdev);
ssize_t vfio_pci_config_rw(struct vfio_pci_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool iswrite);

/* vfio_pci_intrs.c */
int vfio_pci_get_irq_count(struct vfio_pci_device *vdev, unsigned int index);
int vfio_pci_set_irqs(struct vfio_pci_device *vdev, u32 flags,
		      unsigned int index, unsigned int start,
		      unsigned int count, void *data);
void vfio_pci_irqs_release(struct vfio_pci_device *vdev);
void vfio_pci_intx_set_virq_disabled(struct vfio_pci_device *vdev,
				     bool disabled);
void vfio_pci_signal_err(struct vfio_pci_device *vdev);
void vfio_pci_signal_req(struct vfio_pci_device *vdev, unsigned int count);

/* vfio_pci_rdwr.c */
int vfio_pci_setup_barmap(struct vfio_pci_device *vdev, int bar);
void vfio_pci_release_barmaps(struct vfio_pci_device *vdev);
ssize_t vfio_pci_vga_rw(struct vfio_pci_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite);
ssize_t vfio_pci_bar_rw(struct vfio_pci_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite);
int vfio_pci_ioeventfd(struct vfio_pci_device *vdev, u64 offset, u64 data,
		       int count, int fd);
void vfio_pci_ioeventfds_release(struct vfio_pci_device *vdev);

/* vfio_pci_memory.c */
bool vfio_pci_memory_enabled(struct vfio_pci_device *vdev);
int vfio_pci_set_power_state(struct vfio_pci_device *vdev,
			     pci_power_t state);
bool vfio_pci_zap_and_vma_lock(struct vfio_pci_device *vdev, bool try);
void vfio_pci_zap_and_down_write_memory_lock(struct vfio_pci_device *vdev);
u16 vfio_pci_memory_lock_and_enable(struct vfio_pci_device *vdev);
void vfio_pci_memory_unlock_and_restore(struct vfio_pci_device *vdev,
					u16 cmd);

/* vfio_pci_virqfd.c */
int vfio_pci_virqfd_enable(void *opaque, bool (*handler)(void *opaque),
			   void (*thread)(void *opaque),
			   struct vfio_pci_virqfd **owner, int fd);
void vfio_pci_virqfd_disable(struct vfio_pci_virqfd **owner);
void vfio_pci_virqfd_flush_thread(struct vfio_pci_virqfd **owner);
int vfio_pci_virqfd_init(void);
void vfio_pci_virqfd_exit(void);

#endif /* VFIO_PCI_PRIV_H */
