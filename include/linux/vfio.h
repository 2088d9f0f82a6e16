/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VFIO in-kernel API: the only interface between the VFIO core (vfio.ko),
 * its IOMMU backends (e.g. vfio_iommu_type1.ko) and its bus drivers
 * (e.g. vfio-pci.ko).  The userspace ABI is the kernel's own
 * <uapi/linux/vfio.h>, included here and never redefined.
 *
 * Object lifetimes, as far as a bus driver or backend sees them:
 *
 * struct vfio_device is embedded in the bus driver's per-device structure.
 * The bus driver calls vfio_init_group_dev() and then
 * vfio_register_group_dev() from probe, and vfio_unregister_group_dev()
 * from remove.  Registration takes the first reference; every open device
 * file holds one more.  vfio_unregister_group_dev() drops the registration
 * reference and sleeps until all others are gone (asking userspace to let
 * go through ops->request meanwhile), so when it returns no callback of
 * the device can run again and the bus driver may free its structure.
 *
 * The final put of a device reference is taken with kref_put_mutex() on
 * the owning group's device_lock, and the device is unlinked from the
 * group before that lock is released: a lookup under device_lock can
 * therefore never find a device whose last reference is gone.
 *
 * An IOMMU backend registers a struct vfio_iommu_driver_ops.  The core
 * pins the backend's module while a container uses it, and serialises
 * open/release/attach_group/detach_group for one container; ioctl may run
 * concurrently with itself and the backend locks its own state.
 */
#ifndef __VFIO_CORE_API_H
#define __VFIO_CORE_API_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <uapi/linux/vfio.h>

/*
 * MODULE_VERSION of vfio, vfio_iommu_type1 and vfio-pci, and dkms.conf's
 * PACKAGE_VERSION: newer than the kernel's own modules' (6.1: vfio 0.3,
 * vfio_iommu_type1 0.2), or DKMS would not install ours over them.
 */
#define VFIO_MODULES_VERSION	"1.0"

struct file;
struct kvm;
struct vfio_group;
struct vfio_device;

/**
 * struct vfio_device_ops - callbacks of a VFIO bus driver
 * @name: name of the bus driver, as it names itself to the PCI core (the
 *	owner of the BARs it requests)
 * @open_device: called when the first file descriptor of the device is
 *	opened; may fail
 * @close_device: called when the last file descriptor of the device is
 *	released
 * @read: read(2) on a device file descriptor
 * @write: write(2) on a device file descriptor
 * @ioctl: ioctl(2) on a device file descriptor (VFIO_DEVICE_* commands)
 * @mmap: mmap(2) on a device file descriptor
 * @request: optional; asks the driver to have userspace release the
 *	device (@count grows with each unanswered request)
 * @match: optional; matches the name given to VFIO_GROUP_GET_DEVICE_FD.
 *	Returns 0 for no match, > 0 for a match, or a negative errno to stop
 *	the lookup (a match with wrong or missing additional arguments).
 *	Without it, the name must equal dev_name().
 * @device_feature: optional; one feature of VFIO_DEVICE_FEATURE, whose
 *	header the core has checked: @flags has no unknown bit, and GET and
 *	SET come together only with PROBE.  The feature is
 *	@flags & VFIO_DEVICE_FEATURE_MASK; @arg is its data after the
 *	header, @argsz the size the user gave for it.  The driver checks the
 *	operation with vfio_check_feature() and returns -ENOTTY for a
 *	feature it does not have.  Without it, every feature is -ENOTTY.
 *
 * open_device and close_device are serialised per device by the core;
 * read, write, ioctl, mmap and device_feature only run between them.
 */
struct vfio_device_ops {
	const char *name;
	int (*open_device)(struct vfio_device *vdev);
	void (*close_device)(struct vfio_device *vdev);
	ssize_t (*read)(struct vfio_device *vdev, char __user *buf,
			size_t count, loff_t *ppos);
	ssize_t (*write)(struct vfio_device *vdev, const char __user *buf,
			 size_t count, loff_t *ppos);
	long (*ioctl)(struct vfio_device *vdev, unsigned int cmd,
		      unsigned long arg);
	int (*mmap)(struct vfio_device *vdev, struct vm_area_struct *vma);
	void (*request)(struct vfio_device *vdev, unsigned int count);
	int (*match)(struct vfio_device *vdev, const char *buf);
	int (*device_feature)(struct vfio_device *vdev, u32 flags,
			      void __user *arg, size_t argsz);
};

/**
 * struct vfio_device - a device exposed to userspace through VFIO
 * @dev: the physical device; the core holds a reference while registered
 * @ops: the bus driver's callbacks
 * @group: the VFIO group of @dev, set while registered
 * @kvm: the KVM instance linked to the group (vfio_file_set_kvm()) when the
 *	device was first opened, or NULL.  Valid from open_device to
 *	close_device; a driver that keeps it takes its own reference there.
 *
 * The members below @kvm are private to the core.
 */
struct vfio_device {
	struct device *dev;
	const struct vfio_device_ops *ops;
	struct vfio_group *group;
	struct kvm *kvm;

	/* private: to the core */
	struct kref kref;		/* final put under group->device_lock */
	struct completion comp;		/* completed by the final put */
	struct list_head group_next;	/* on group->device_list */
	struct mutex open_lock;		/* serialises open/close_device */
	unsigned int open_count;	/* protected by open_lock */
};

/* Bus driver interface */
void vfio_init_group_dev(struct vfio_device *vdev, struct device *dev,
			 const struct vfio_device_ops *ops);
int vfio_register_group_dev(struct vfio_device *vdev);
void vfio_unregister_group_dev(struct vfio_device *vdev);

/*
 * Group files, for bus drivers (e.g. checking the groups a user passes to
 * VFIO_DEVICE_PCI_HOT_RESET) and for KVM's kvm-vfio device, which finds
 * these through symbol_get() by name.
 */
bool vfio_file_is_group(struct file *file);
bool vfio_file_has_dev(struct file *file, struct vfio_device *device);
struct iommu_group *vfio_file_iommu_group(struct file *file);
bool vfio_file_enforced_coherent(struct file *file);
void vfio_file_set_kvm(struct file *file, struct kvm *kvm);

/**
 * struct vfio_iommu_driver_ops - callbacks of a VFIO IOMMU backend
 * @owner: module that provides the backend; pinned while a container
 *	uses it
 * @open: creates the backend's per-container state for the IOMMU type
 *	@arg given to VFIO_SET_IOMMU; returns it or an ERR_PTR()
 * @release: frees what @open created; every group is detached first
 * @ioctl: container ioctls other than VFIO_GET_API_VERSION.  Called
 *	with @iommu_data NULL for VFIO_CHECK_EXTENSION before VFIO_SET_IOMMU.
 * @attach_group: adds an IOMMU group to the container's IOMMU context.
 *	The core has already claimed DMA ownership of @group.
 * @detach_group: removes a group added by @attach_group
 */
struct vfio_iommu_driver_ops {
	struct module *owner;
	void *(*open)(unsigned long arg);
	void (*release)(void *iommu_data);
	long (*ioctl)(void *iommu_data, unsigned int cmd, unsigned long arg);
	int (*attach_group)(void *iommu_data, struct iommu_group *group);
	void (*detach_group)(void *iommu_data, struct iommu_group *group);
};

/* IOMMU backend interface */
int vfio_register_iommu_driver(const struct vfio_iommu_driver_ops *ops);
void vfio_unregister_iommu_driver(const struct vfio_iommu_driver_ops *ops);

/* Helpers for ioctl implementations */

/**
 * __vfio_copy_arg - copy an ioctl argument's fixed part from userspace
 * @kbuf: the kernel's copy; its first member is the user's u32 argsz
 * @uarg: the user's argument
 * @minsz: how much of it this kernel reads (offsetofend() of the last
 *	member it knows)
 *
 * The one prologue of every VFIO ioctl that takes a structure, used
 * through VFIO_COPY_ARG(): a user built against newer headers may pass a
 * larger argsz, which is accepted (the bytes beyond @minsz are not read),
 * a smaller one is not.
 *
 * Return: 0, -EFAULT if @uarg cannot be read, -EINVAL if argsz < @minsz.
 */
static inline int __vfio_copy_arg(void *kbuf, const void __user *uarg,
				  size_t minsz)
{
	if (copy_from_user(kbuf, uarg, minsz))
		return -EFAULT;
	return *(u32 *)kbuf < minsz ? -EINVAL : 0;
}

/*
 * VFIO_COPY_ARG(&info, uarg, last): __vfio_copy_arg() of struct info up
 * to and including its member @last; argsz must be the structure's first
 * member, as it is in every structure of <uapi/linux/vfio.h>.
 */
#define VFIO_COPY_ARG(kptr, uarg, last)					\
	({								\
		typeof(kptr) __vca_k = (kptr);				\
									\
		static_assert(offsetof(typeof(*__vca_k), argsz) == 0);	\
		__vfio_copy_arg(__vca_k, uarg,				\
				offsetofend(typeof(*__vca_k), last));	\
	})

struct vfio_info_cap {
	struct vfio_info_cap_header *buf;
	size_t size;
};

struct vfio_info_cap_header *vfio_info_cap_add(struct vfio_info_cap *caps,
					       size_t size, u16 id,
					       u16 version);
void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset);
int vfio_info_cap_copy(struct vfio_info_cap *caps, void __user *uarg,
		       size_t infosz, u32 *argsz, u32 *cap_offset);
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz);
int vfio_set_irqs_validate_and_prepare(struct vfio_irq_set *hdr,
				       int num_irqs, int max_irq_type,
				       size_t *data_size);

/*
 * Failure points, for tests (CONFIG_VFIO_FAIL_NTH, debug builds only).
 * Every allocation of our modules and every kernel call of theirs that can
 * fail on a user's behalf is wrapped in vfio_fail_ptr() (returns NULL),
 * vfio_fail_errptr() (ERR_PTR(-ENOMEM)) or vfio_fail_int() (-ENOMEM).
 * Writing N to /sys/kernel/debug/vfio/fail_nth makes the Nth failure point
 * that the writing thread then reaches fail, like /proc/self/fail-nth
 * does for every allocation of the kernel, but without failing any
 * allocation outside our code; reading it gives how many points are still
 * to go, 0 once the failure was injected.  Without the option, these are
 * the bare expressions.
 */
#if IS_ENABLED(CONFIG_VFIO_FAIL_NTH)
bool vfio_fail_point(void);
#else
static inline bool vfio_fail_point(void)
{
	return false;
}
#endif
#define vfio_fail_ptr(expr)	(vfio_fail_point() ? NULL : (expr))
#define vfio_fail_errptr(expr)	(vfio_fail_point() ? ERR_PTR(-ENOMEM) : (expr))
#define vfio_fail_int(expr)	(vfio_fail_point() ? -ENOMEM : (expr))

#endif /* __VFIO_CORE_API_H */
