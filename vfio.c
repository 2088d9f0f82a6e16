// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO core: the /dev/vfio/vfio container, the /dev/vfio/<N> group files
 * built on the kernel's IOMMU groups, the device files handed out by the
 * groups, and the registries of IOMMU backends and bus-driver devices.
 *
 * Objects, their lifetimes and locks (outermost lock first):
 *
 * vfio.group_lock (mutex) protects vfio.group_list.  A struct vfio_group
 * lives on that list while it has registered devices; group->users counts
 * them and its final put is taken under vfio.group_lock, so a lookup under
 * that lock never finds a group that is going away.  The group's memory is
 * owned by group->dev (a struct device) and outlives the list: an open
 * group file pins it through the cdev, and sees group->iommu_group NULL
 * once the last device is gone.
 *
 * group->group_lock (mutex) protects the group's container, its
 * container_users count (1 for the group file's attachment, plus one per
 * open device file) and opened_file (the group may be opened once).
 *
 * container->group_lock (rw_semaphore) protects the container's group list
 * and its IOMMU backend (ops and data).  It is taken after group_lock.
 * Backend ioctls run under it for read, so the backend cannot be released
 * under a running ioctl; attach, detach and release run under it for write.
 *
 * vfio.iommu_drivers_lock (mutex) protects the backend registry; it nests
 * inside container->group_lock.
 *
 * group->device_lock (mutex) protects group->device_list.  A device is on
 * that list from registration until its last reference is put, and that
 * final put happens under device_lock (kref_put_mutex), which unlinks the
 * device before dropping the lock; so kref_get() on a device found under
 * device_lock is always safe.  An open device file holds one reference,
 * a reference on the group file (so the group cannot leave its container
 * while devices are open) and one container user.
 *
 * No-IOMMU mode (enable_unsafe_noiommu_mode): a device without an IOMMU
 * group gets one of its own, named "vfio-noiommu", when it registers and
 * loses it when it unregisters; its VFIO group (/dev/vfio/noiommu-<N>,
 * group->noiommu, set once at creation) is only usable with
 * CAP_SYS_RAWIO, claims no DMA ownership, and shares containers only with
 * groups of its own kind (container->noiommu, under container->group_lock)
 * whose one backend is vfio_noiommu_ops: no DMA translation at all.
 *
 * device->open_lock (mutex) serialises the bus driver's open_device and
 * close_device, and protects open_count and device->kvm.  It is taken
 * without any of the locks above held; group_lock nests inside it (the
 * first open reads the group's kvm).
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/compat.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#define DRIVER_DESC	"VFIO - user level meta-driver"

static struct vfio {
	struct class *group_class;
	dev_t group_devt;
	struct ida group_ida;
	struct mutex group_lock;	/* group_list, final group put */
	struct list_head group_list;
	struct mutex iommu_drivers_lock;	/* iommu_drivers_list */
	struct list_head iommu_drivers_list;
} vfio;

struct vfio_iommu_driver {
	const struct vfio_iommu_driver_ops *ops;
	struct list_head vfio_next;	/* on vfio.iommu_drivers_list */
};

struct vfio_container {
	struct kref kref;		/* the container file, each group */
	struct rw_semaphore group_lock;
	struct list_head group_list;	/* attached groups */
	bool noiommu;			/* of the groups on group_list */
	const struct vfio_iommu_driver_ops *iommu_ops;
	void *iommu_data;
};

struct vfio_group {
	struct device dev;		/* owns the memory */
	struct cdev cdev;		/* /dev/vfio/<N> */
	struct kref users;		/* registered devices */
	struct iommu_group *iommu_group; /* NULL once the last device left */
	struct list_head vfio_next;	/* on vfio.group_list */
	bool noiommu;			/* a no-IOMMU group */

	struct mutex device_lock;	/* device_list, final device put */
	struct list_head device_list;

	struct mutex group_lock;	/* container, users, file, kvm */
	struct vfio_container *container;
	struct list_head container_next; /* on container->group_list */
	unsigned int container_users;
	struct file *opened_file;
	struct kvm *kvm;		/* set by KVM, no reference held */
};

/*
 * IOMMU backend registry
 */

/**
 * vfio_register_iommu_driver - make an IOMMU backend available
 * @ops: the backend's callbacks; must stay valid until unregistered
 *
 * Return: 0, -EINVAL if @ops is already registered, or -ENOMEM.
 */
int vfio_register_iommu_driver(const struct vfio_iommu_driver_ops *ops)
{
	struct vfio_iommu_driver *driver, *tmp;

	if (WARN_ON(!ops->open || !ops->release || !ops->ioctl ||
		    !ops->attach_group || !ops->detach_group))
		return -EINVAL;

	driver = kzalloc(sizeof(*driver), GFP_KERNEL);
	if (!driver)
		return -ENOMEM;
	driver->ops = ops;

	mutex_lock(&vfio.iommu_drivers_lock);
	list_for_each_entry(tmp, &vfio.iommu_drivers_list, vfio_next) {
		if (tmp->ops == ops) {
			mutex_unlock(&vfio.iommu_drivers_lock);
			kfree(driver);
			return -EINVAL;
		}
	}
	list_add(&driver->vfio_next, &vfio.iommu_drivers_list);
	mutex_unlock(&vfio.iommu_drivers_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_register_iommu_driver);

/**
 * vfio_unregister_iommu_driver - remove an IOMMU backend
 * @ops: the callbacks given to vfio_register_iommu_driver()
 *
 * No container uses the backend any more: each one holds a reference on
 * the backend's module.
 */
void vfio_unregister_iommu_driver(const struct vfio_iommu_driver_ops *ops)
{
	struct vfio_iommu_driver *driver;

	mutex_lock(&vfio.iommu_drivers_lock);
	list_for_each_entry(driver, &vfio.iommu_drivers_list, vfio_next) {
		if (driver->ops == ops) {
			list_del(&driver->vfio_next);
			kfree(driver);
			break;
		}
	}
	mutex_unlock(&vfio.iommu_drivers_lock);
}
EXPORT_SYMBOL_GPL(vfio_unregister_iommu_driver);

/*
 * No-IOMMU mode
 */

#if IS_ENABLED(CONFIG_VFIO_NOIOMMU)
static bool noiommu __read_mostly;
module_param_named(enable_unsafe_noiommu_mode, noiommu, bool, 0644);
MODULE_PARM_DESC(enable_unsafe_noiommu_mode,
		 "Enable UNSAFE, no-IOMMU mode.  This mode provides no device isolation, no DMA translation, no host kernel protection, cannot be used for device assignment to virtual machines, requires RAWIO permissions, and will taint the kernel.  If you do not know what this is for, step away. (default: false)");

static void *vfio_noiommu_open(unsigned long arg)
{
	if (arg != VFIO_NOIOMMU_IOMMU)
		return ERR_PTR(-EINVAL);
	if (!capable(CAP_SYS_RAWIO))
		return ERR_PTR(-EPERM);
	return NULL;
}

static void vfio_noiommu_release(void *iommu_data)
{
}

static long vfio_noiommu_ioctl(void *iommu_data, unsigned int cmd,
			       unsigned long arg)
{
	if (cmd == VFIO_CHECK_EXTENSION)
		return READ_ONCE(noiommu) && arg == VFIO_NOIOMMU_IOMMU;
	return -ENOTTY;
}

static int vfio_noiommu_attach_group(void *iommu_data,
				     struct iommu_group *iommu_group)
{
	return 0;
}

static void vfio_noiommu_detach_group(void *iommu_data,
				      struct iommu_group *iommu_group)
{
}

/* The backend of no-IOMMU containers: it maps nothing. */
static const struct vfio_iommu_driver_ops vfio_noiommu_ops = {
	.owner		= THIS_MODULE,
	.open		= vfio_noiommu_open,
	.release	= vfio_noiommu_release,
	.ioctl		= vfio_noiommu_ioctl,
	.attach_group	= vfio_noiommu_attach_group,
	.detach_group	= vfio_noiommu_detach_group,
};

/*
 * Gives @dev, which has no IOMMU group, one of its own, and taints the
 * kernel: userspace may now make the device DMA anywhere.
 */
static struct iommu_group *vfio_noiommu_group_alloc(struct device *dev)
{
	struct iommu_group *iommu_group;
	int ret;

	if (!READ_ONCE(noiommu))
		return ERR_PTR(-EINVAL);

	iommu_group = vfio_fail_errptr(iommu_group_alloc());
	if (IS_ERR(iommu_group))
		return iommu_group;
	ret = vfio_fail_int(iommu_group_set_name(iommu_group, "vfio-noiommu"));
	if (!ret)
		ret = vfio_fail_int(iommu_group_add_device(iommu_group, dev));
	if (ret) {
		iommu_group_put(iommu_group);
		return ERR_PTR(ret);
	}
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	dev_warn(dev, "Adding kernel taint for vfio-noiommu group on device\n");
	return iommu_group;
}

/* Whether @container may use the backend @ops. */
static bool vfio_iommu_driver_allowed(struct vfio_container *container,
				      const struct vfio_iommu_driver_ops *ops)
{
	lockdep_assert_held(&container->group_lock);
	return container->noiommu == (ops == &vfio_noiommu_ops);
}

static void vfio_noiommu_register(void)
{
	WARN_ON(vfio_register_iommu_driver(&vfio_noiommu_ops));
}

static void vfio_noiommu_unregister(void)
{
	vfio_unregister_iommu_driver(&vfio_noiommu_ops);
}
#else
static struct iommu_group *vfio_noiommu_group_alloc(struct device *dev)
{
	return ERR_PTR(-EINVAL);
}

static bool vfio_iommu_driver_allowed(struct vfio_container *container,
				      const struct vfio_iommu_driver_ops *ops)
{
	return true;
}

static void vfio_noiommu_register(void)
{
}

static void vfio_noiommu_unregister(void)
{
}
#endif

/*
 * Containers
 */

static void vfio_container_release(struct kref *kref)
{
	struct vfio_container *container =
		container_of(kref, struct vfio_container, kref);

	WARN_ON(container->iommu_ops || !list_empty(&container->group_list));
	kfree(container);
}

static void vfio_container_put(struct vfio_container *container)
{
	kref_put(&container->kref, vfio_container_release);
}

/* Asks one backend about an extension, with its module pinned. */
static long vfio_iommu_driver_check(const struct vfio_iommu_driver_ops *ops,
				    unsigned long arg)
{
	long ret;

	if (!try_module_get(ops->owner))
		return 0;
	ret = ops->ioctl(NULL, VFIO_CHECK_EXTENSION, arg);
	module_put(ops->owner);
	return ret;
}

static long vfio_container_check_extension(struct vfio_container *container,
					   unsigned long arg)
{
	struct vfio_iommu_driver *driver;
	long ret = 0;

	down_read(&container->group_lock);
	if (container->iommu_ops) {
		ret = container->iommu_ops->ioctl(container->iommu_data,
						  VFIO_CHECK_EXTENSION, arg);
		goto out_unlock;
	}

	/*
	 * No backend yet: the first one that knows the extension answers,
	 * of those the container's groups may use.
	 */
	mutex_lock(&vfio.iommu_drivers_lock);
	list_for_each_entry(driver, &vfio.iommu_drivers_list, vfio_next) {
		if (!list_empty(&container->group_list) &&
		    !vfio_iommu_driver_allowed(container, driver->ops))
			continue;
		ret = vfio_iommu_driver_check(driver->ops, arg);
		if (ret > 0)
			break;
	}
	mutex_unlock(&vfio.iommu_drivers_lock);

out_unlock:
	up_read(&container->group_lock);
	return ret;
}

static int vfio_container_attach_all(struct vfio_container *container,
				     const struct vfio_iommu_driver_ops *ops,
				     void *data)
{
	struct vfio_group *group;
	int ret;

	lockdep_assert_held_write(&container->group_lock);

	list_for_each_entry(group, &container->group_list, container_next) {
		ret = ops->attach_group(data, group->iommu_group);
		if (ret)
			goto err_detach;
	}
	return 0;

err_detach:
	list_for_each_entry_continue_reverse(group, &container->group_list,
					     container_next)
		ops->detach_group(data, group->iommu_group);
	return ret;
}

static long vfio_container_set_iommu(struct vfio_container *container,
				     unsigned long arg)
{
	struct vfio_iommu_driver *driver;
	long ret = -ENODEV;

	down_write(&container->group_lock);

	/*
	 * Only a container that holds a group may enable an IOMMU, and it
	 * does so once: removing every group takes the backend away again.
	 */
	if (list_empty(&container->group_list) || container->iommu_ops) {
		ret = -EINVAL;
		goto out_unlock;
	}

	mutex_lock(&vfio.iommu_drivers_lock);
	list_for_each_entry(driver, &vfio.iommu_drivers_list, vfio_next) {
		const struct vfio_iommu_driver_ops *ops = driver->ops;
		void *data;

		if (!vfio_iommu_driver_allowed(container, ops) ||
		    !try_module_get(ops->owner))
			continue;

		/* SET_IOMMU's argument is an extension of the backend's. */
		if (ops->ioctl(NULL, VFIO_CHECK_EXTENSION, arg) <= 0) {
			module_put(ops->owner);
			continue;
		}

		data = ops->open(arg);
		if (IS_ERR(data)) {
			ret = PTR_ERR(data);
			module_put(ops->owner);
			continue;
		}

		ret = vfio_container_attach_all(container, ops, data);
		if (ret) {
			ops->release(data);
			module_put(ops->owner);
			continue;
		}

		container->iommu_ops = ops;
		container->iommu_data = data;
		break;
	}
	mutex_unlock(&vfio.iommu_drivers_lock);

out_unlock:
	up_write(&container->group_lock);
	return ret;
}

static long vfio_container_ioctl(struct file *filep, unsigned int cmd,
				 unsigned long arg)
{
	struct vfio_container *container = filep->private_data;
	long ret = -EINVAL;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return vfio_container_check_extension(container, arg);
	case VFIO_SET_IOMMU:
		return vfio_container_set_iommu(container, arg);
	}

	/* Everything else belongs to the backend, if there is one yet. */
	down_read(&container->group_lock);
	if (container->iommu_ops)
		ret = container->iommu_ops->ioctl(container->iommu_data, cmd,
						  arg);
	up_read(&container->group_lock);
	return ret;
}

static int vfio_container_open(struct inode *inode, struct file *filep)
{
	struct vfio_container *container;

	container = vfio_fail_ptr(kzalloc(sizeof(*container),
					  GFP_KERNEL_ACCOUNT));
	if (!container)
		return -ENOMEM;

	kref_init(&container->kref);
	init_rwsem(&container->group_lock);
	INIT_LIST_HEAD(&container->group_list);
	filep->private_data = container;
	return 0;
}

static int vfio_container_file_release(struct inode *inode,
				       struct file *filep)
{
	vfio_container_put(filep->private_data);
	return 0;
}

static const struct file_operations vfio_container_fops = {
	.owner		= THIS_MODULE,
	.open		= vfio_container_open,
	.release	= vfio_container_file_release,
	.unlocked_ioctl	= vfio_container_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice vfio_dev = {
	.minor		= VFIO_MINOR,
	.name		= "vfio",
	.fops		= &vfio_container_fops,
	.nodename	= "vfio/vfio",
	.mode		= 0666,
};

/*
 * Groups and containers
 */

static int vfio_group_attach_container(struct vfio_group *group,
				       struct vfio_container *container)
{
	int ret;

	lockdep_assert_held(&group->group_lock);

	if (group->noiommu && !capable(CAP_SYS_RAWIO))
		return -EPERM;

	down_write(&container->group_lock);

	/* Groups with and without an IOMMU never share a container. */
	if (!list_empty(&container->group_list) &&
	    container->noiommu != group->noiommu) {
		ret = -EPERM;
		goto out_unlock;
	}

	/* Fails with -EBUSY while a kernel driver owns a device's DMA. */
	ret = group->noiommu ? 0 :
		vfio_fail_int(iommu_group_claim_dma_owner(group->iommu_group,
							  group));
	if (ret)
		goto out_unlock;

	if (container->iommu_ops) {
		ret = container->iommu_ops->attach_group(container->iommu_data,
							 group->iommu_group);
		if (ret) {
			if (!group->noiommu)
				iommu_group_release_dma_owner(group->iommu_group);
			goto out_unlock;
		}
	}

	kref_get(&container->kref);
	container->noiommu = group->noiommu;
	list_add(&group->container_next, &container->group_list);
	group->container = container;
	group->container_users = 1;

out_unlock:
	up_write(&container->group_lock);
	return ret;
}

static void vfio_group_detach_container(struct vfio_group *group)
{
	struct vfio_container *container = group->container;
	const struct vfio_iommu_driver_ops *ops;

	lockdep_assert_held(&group->group_lock);
	WARN_ON(group->container_users != 1);

	down_write(&container->group_lock);
	ops = container->iommu_ops;
	if (ops)
		ops->detach_group(container->iommu_data, group->iommu_group);
	if (!group->noiommu)
		iommu_group_release_dma_owner(group->iommu_group);

	list_del(&group->container_next);
	group->container = NULL;
	group->container_users = 0;

	/* A container without groups loses its IOMMU backend. */
	if (ops && list_empty(&container->group_list)) {
		ops->release(container->iommu_data);
		module_put(ops->owner);
		container->iommu_ops = NULL;
		container->iommu_data = NULL;
	}
	up_write(&container->group_lock);

	vfio_container_put(container);
}

static int vfio_group_ioctl_set_container(struct vfio_group *group,
					  int __user *arg)
{
	struct fd f;
	int ret;
	int fd;

	if (get_user(fd, arg))
		return -EFAULT;

	f = fdget(fd);
	if (!f.file)
		return -EBADF;

	mutex_lock(&group->group_lock);
	if (group->container) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (!group->iommu_group) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (f.file->f_op != &vfio_container_fops) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = vfio_group_attach_container(group, f.file->private_data);

out_unlock:
	mutex_unlock(&group->group_lock);
	fdput(f);
	return ret;
}

static int vfio_group_ioctl_unset_container(struct vfio_group *group)
{
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (!group->container)
		ret = -EINVAL;
	else if (group->container_users != 1)
		ret = -EBUSY;	/* device files are open */
	else
		vfio_group_detach_container(group);
	mutex_unlock(&group->group_lock);
	return ret;
}

static int vfio_group_ioctl_get_status(struct vfio_group *group,
				       struct vfio_group_status __user *arg)
{
	struct vfio_group_status status;
	int ret;

	ret = VFIO_COPY_ARG(&status, arg, flags);
	if (ret)
		return ret;

	status.flags = 0;
	mutex_lock(&group->group_lock);
	if (!group->iommu_group) {
		mutex_unlock(&group->group_lock);
		return -ENODEV;
	}
	/*
	 * Viable: no device of the IOMMU group is bound to a kernel driver
	 * that uses the DMA API.  Drivers that hand devices to userspace
	 * (vfio bus drivers, pci-stub, pcieport) declare driver_managed_dma
	 * and claim nothing, and the IOMMU core then refuses any other driver
	 * for as long as we own the group.
	 */
	if (group->container)
		status.flags |= VFIO_GROUP_FLAGS_CONTAINER_SET |
				VFIO_GROUP_FLAGS_VIABLE;
	else if (!iommu_group_dma_owner_claimed(group->iommu_group))
		status.flags |= VFIO_GROUP_FLAGS_VIABLE;
	mutex_unlock(&group->group_lock);

	if (copy_to_user(arg, &status, offsetofend(typeof(status), flags)))
		return -EFAULT;
	return 0;
}

/*
 * Devices
 */

static void vfio_device_last_put(struct kref *kref)
{
	struct vfio_device *device =
		container_of(kref, struct vfio_device, kref);
	struct vfio_group *group = device->group;

	list_del_init(&device->group_next);
	mutex_unlock(&group->device_lock);
	complete(&device->comp);
}

static void vfio_device_put(struct vfio_device *device)
{
	kref_put_mutex(&device->kref, vfio_device_last_put,
		       &device->group->device_lock);
}

/* Returns a referenced device of @group whose name matches @buf. */
static struct vfio_device *vfio_group_find_device(struct vfio_group *group,
						  const char *buf)
{
	struct vfio_device *it, *device = ERR_PTR(-ENODEV);
	int ret;

	mutex_lock(&group->device_lock);
	list_for_each_entry(it, &group->device_list, group_next) {
		if (it->ops->match)
			ret = it->ops->match(it, buf);
		else
			ret = !strcmp(dev_name(it->dev), buf);
		if (ret < 0) {
			device = ERR_PTR(ret);
			break;
		}
		if (ret) {
			/* Safe: the final put would need device_lock. */
			kref_get(&it->kref);
			device = it;
			break;
		}
	}
	mutex_unlock(&group->device_lock);
	return device;
}

/* Makes the device's open file a user of the group's container. */
static int vfio_device_assign_container(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (!group->container) {
		ret = -EINVAL;
		goto out_unlock;
	}
	down_read(&group->container->group_lock);
	if (!group->container->iommu_ops)
		ret = -EINVAL;
	up_read(&group->container->group_lock);
	if (ret)
		goto out_unlock;

	get_file(group->opened_file);
	group->container_users++;
out_unlock:
	mutex_unlock(&group->group_lock);
	return ret;
}

static void vfio_device_unassign_container(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	struct file *group_file;

	mutex_lock(&group->group_lock);
	WARN_ON(group->container_users <= 1);
	group->container_users--;
	group_file = group->opened_file;
	mutex_unlock(&group->group_lock);
	fput(group_file);
}

static int vfio_device_first_open(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	int ret = 0;

	mutex_lock(&device->open_lock);
	if (!device->open_count) {
		mutex_lock(&group->group_lock);
		device->kvm = group->kvm;
		mutex_unlock(&group->group_lock);
		if (device->ops->open_device)
			ret = device->ops->open_device(device);
		if (ret)
			device->kvm = NULL;
	}
	if (!ret)
		device->open_count++;
	mutex_unlock(&device->open_lock);
	return ret;
}

static void vfio_device_last_close(struct vfio_device *device)
{
	mutex_lock(&device->open_lock);
	if (!WARN_ON(!device->open_count) && !--device->open_count) {
		if (device->ops->close_device)
			device->ops->close_device(device);
		device->kvm = NULL;
	}
	mutex_unlock(&device->open_lock);
}

static int vfio_device_fops_release(struct inode *inode, struct file *filep)
{
	struct vfio_device *device = filep->private_data;

	vfio_device_last_close(device);
	module_put(device->dev->driver->owner);
	vfio_device_unassign_container(device);
	vfio_device_put(device);
	return 0;
}

static ssize_t vfio_device_fops_read(struct file *filep, char __user *buf,
				     size_t count, loff_t *ppos)
{
	struct vfio_device *device = filep->private_data;

	if (!device->ops->read)
		return -EINVAL;
	return device->ops->read(device, buf, count, ppos);
}

static ssize_t vfio_device_fops_write(struct file *filep,
				      const char __user *buf,
				      size_t count, loff_t *ppos)
{
	struct vfio_device *device = filep->private_data;

	if (!device->ops->write)
		return -EINVAL;
	return device->ops->write(device, buf, count, ppos);
}

/*
 * VFIO_DEVICE_FEATURE: the core checks the header, as Linux 6.1 does, and
 * the bus driver implements the features (ops->device_feature).
 */
static int vfio_ioctl_device_feature(struct vfio_device *device,
				     struct vfio_device_feature __user *arg)
{
	const u32 get_set = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;
	struct vfio_device_feature feature;
	int ret;

	ret = VFIO_COPY_ARG(&feature, arg, flags);
	if (ret)
		return ret;

	if (feature.flags & ~(VFIO_DEVICE_FEATURE_MASK | get_set |
			      VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;

	/* GET and SET are exclusive, except to PROBE */
	if (!(feature.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (feature.flags & get_set) == get_set)
		return -EINVAL;

	if (!device->ops->device_feature)
		return -ENOTTY;
	return device->ops->device_feature(device, feature.flags, arg->data,
					   feature.argsz -
					   offsetof(typeof(feature), data));
}

static long vfio_device_fops_ioctl(struct file *filep, unsigned int cmd,
				   unsigned long arg)
{
	struct vfio_device *device = filep->private_data;

	if (cmd == VFIO_DEVICE_FEATURE)
		return vfio_ioctl_device_feature(device, (void __user *)arg);
	if (!device->ops->ioctl)
		return -EINVAL;
	return device->ops->ioctl(device, cmd, arg);
}

static int vfio_device_fops_mmap(struct file *filep,
				 struct vm_area_struct *vma)
{
	struct vfio_device *device = filep->private_data;

	if (!device->ops->mmap)
		return -EINVAL;
	return device->ops->mmap(device, vma);
}

static const struct file_operations vfio_device_fops = {
	.owner		= THIS_MODULE,
	.release	= vfio_device_fops_release,
	.read		= vfio_device_fops_read,
	.write		= vfio_device_fops_write,
	.unlocked_ioctl	= vfio_device_fops_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vfio_device_fops_mmap,
};

/* Opens a file for @device; consumes the caller's device reference. */
static struct file *vfio_device_open_file(struct vfio_device *device)
{
	struct file *filep;
	int ret;

	ret = vfio_device_assign_container(device);
	if (ret)
		goto err_put;

	if (!try_module_get(device->dev->driver->owner)) {
		ret = -ENODEV;
		goto err_unassign;
	}

	ret = vfio_device_first_open(device);
	if (ret)
		goto err_module_put;

	filep = vfio_fail_errptr(anon_inode_getfile("[vfio-device]",
						    &vfio_device_fops,
						    device, O_RDWR));
	if (IS_ERR(filep)) {
		ret = PTR_ERR(filep);
		goto err_close;
	}
	/* Region offsets are absolute: allow pread/pwrite. */
	filep->f_mode |= FMODE_PREAD | FMODE_PWRITE;
	if (device->group->noiommu)
		dev_warn(device->dev, "vfio-noiommu device opened by user (%s:%d)\n",
			 current->comm, task_pid_nr(current));
	return filep;

err_close:
	vfio_device_last_close(device);
err_module_put:
	module_put(device->dev->driver->owner);
err_unassign:
	vfio_device_unassign_container(device);
err_put:
	vfio_device_put(device);
	return ERR_PTR(ret);
}

static int vfio_group_ioctl_get_device_fd(struct vfio_group *group,
					  char __user *arg)
{
	struct vfio_device *device;
	struct file *filep;
	char *buf;
	int fd;

	buf = strndup_user(arg, PAGE_SIZE);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	device = vfio_group_find_device(group, buf);
	kfree(buf);
	if (IS_ERR(device))
		return PTR_ERR(device);

	fd = vfio_fail_int(get_unused_fd_flags(O_CLOEXEC));
	if (fd < 0) {
		vfio_device_put(device);
		return fd;
	}

	filep = vfio_device_open_file(device);
	if (IS_ERR(filep)) {
		put_unused_fd(fd);
		return PTR_ERR(filep);
	}
	fd_install(fd, filep);
	return fd;
}

/*
 * Group files
 */

static long vfio_group_fops_ioctl(struct file *filep, unsigned int cmd,
				  unsigned long arg)
{
	struct vfio_group *group = filep->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_GROUP_GET_STATUS:
		return vfio_group_ioctl_get_status(group, uarg);
	case VFIO_GROUP_SET_CONTAINER:
		return vfio_group_ioctl_set_container(group, uarg);
	case VFIO_GROUP_UNSET_CONTAINER:
		return vfio_group_ioctl_unset_container(group);
	case VFIO_GROUP_GET_DEVICE_FD:
		return vfio_group_ioctl_get_device_fd(group, uarg);
	}
	return -ENOTTY;
}

static int vfio_group_fops_open(struct inode *inode, struct file *filep)
{
	struct vfio_group *group =
		container_of(inode->i_cdev, struct vfio_group, cdev);
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (!group->iommu_group)
		ret = -ENODEV;		/* raced with the last device leaving */
	else if (group->noiommu && !capable(CAP_SYS_RAWIO))
		ret = -EPERM;
	else if (group->opened_file)
		ret = -EBUSY;
	else
		group->opened_file = filep;
	mutex_unlock(&group->group_lock);

	if (!ret)
		filep->private_data = group;
	return ret;
}

static int vfio_group_fops_release(struct inode *inode, struct file *filep)
{
	struct vfio_group *group = filep->private_data;

	/* Open device files hold this file, so none is open now. */
	mutex_lock(&group->group_lock);
	if (group->container)
		vfio_group_detach_container(group);
	group->opened_file = NULL;
	mutex_unlock(&group->group_lock);
	return 0;
}

static const struct file_operations vfio_group_fops = {
	.owner		= THIS_MODULE,
	.open		= vfio_group_fops_open,
	.release	= vfio_group_fops_release,
	.unlocked_ioctl	= vfio_group_fops_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/*
 * Group files for bus drivers and KVM
 */

/**
 * vfio_file_is_group - tell whether a file is a VFIO group file
 * @file: any file
 */
bool vfio_file_is_group(struct file *file)
{
	return file->f_op == &vfio_group_fops;
}
EXPORT_SYMBOL_GPL(vfio_file_is_group);

/**
 * vfio_file_has_dev - tell whether a file gives access to a device
 * @file: any file
 * @device: a registered device
 *
 * Return: true if @file is the group file of @device's group.
 */
bool vfio_file_has_dev(struct file *file, struct vfio_device *device)
{
	/*
	 * Lockless: @device may be leaving (its bus driver keeps the memory),
	 * and then its group reads as NULL, never as a group's recycled
	 * address.  Only the pointer is compared.
	 */
	return vfio_file_is_group(file) &&
	       file->private_data == READ_ONCE(device->group);
}
EXPORT_SYMBOL_GPL(vfio_file_has_dev);

/**
 * vfio_file_iommu_group - the IOMMU group of a VFIO group file
 * @file: any file
 *
 * Return: the IOMMU group with a reference the caller must put, or NULL
 * if @file is not a group file or its group has no device left.
 */
struct iommu_group *vfio_file_iommu_group(struct file *file)
{
	struct iommu_group *iommu_group = NULL;
	struct vfio_group *group;

	if (!vfio_file_is_group(file))
		return NULL;

	group = file->private_data;
	mutex_lock(&group->group_lock);
	if (group->iommu_group)
		iommu_group = iommu_group_ref_get(group->iommu_group);
	mutex_unlock(&group->group_lock);
	return iommu_group;
}
EXPORT_SYMBOL_GPL(vfio_file_iommu_group);

/**
 * vfio_file_enforced_coherent - tell whether the group's DMA is coherent
 * @file: a VFIO group file
 *
 * DMA is enforced coherent when the IOMMU ignores no-snoop, so that the
 * user needs no cache maintenance instructions (wbinvd on x86).  Until
 * the group is in a container with an IOMMU this is not known, and the
 * answer is true: the user has yet to prove a need.
 *
 * Return: false if the group's DMA may bypass the CPU caches.
 */
bool vfio_file_enforced_coherent(struct file *file)
{
	struct vfio_group *group;
	bool ret = true;

	if (!vfio_file_is_group(file))
		return true;

	group = file->private_data;
	mutex_lock(&group->group_lock);
	if (group->container)
		ret = vfio_container_check_extension(group->container,
						     VFIO_DMA_CC_IOMMU) > 0;
	mutex_unlock(&group->group_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_file_enforced_coherent);

/**
 * vfio_file_set_kvm - link a KVM instance with a VFIO group
 * @file: a VFIO group file
 * @kvm: the KVM instance, or NULL to unlink it
 *
 * Devices of the group first opened from now on see @kvm in
 * vfio_device.kvm.  KVM unlinks the group before it goes away.
 */
void vfio_file_set_kvm(struct file *file, struct kvm *kvm)
{
	struct vfio_group *group;

	if (!vfio_file_is_group(file))
		return;

	group = file->private_data;
	mutex_lock(&group->group_lock);
	group->kvm = kvm;
	mutex_unlock(&group->group_lock);
}
EXPORT_SYMBOL_GPL(vfio_file_set_kvm);

/*
 * Group lifetime
 */

static void vfio_group_dev_release(struct device *dev)
{
	struct vfio_group *group = container_of(dev, struct vfio_group, dev);

	ida_free(&vfio.group_ida, MINOR(group->dev.devt));
	mutex_destroy(&group->device_lock);
	mutex_destroy(&group->group_lock);
	kfree(group);
}

static struct vfio_group *
vfio_group_create(struct iommu_group *iommu_group, bool noiommu)
{
	struct vfio_group *group;
	int minor;
	int ret;

	lockdep_assert_held(&vfio.group_lock);

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);

	minor = ida_alloc_max(&vfio.group_ida, MINORMASK, GFP_KERNEL);
	if (minor < 0) {
		kfree(group);
		return ERR_PTR(minor);
	}

	kref_init(&group->users);
	mutex_init(&group->device_lock);
	INIT_LIST_HEAD(&group->device_list);
	mutex_init(&group->group_lock);
	group->iommu_group = iommu_group;
	group->noiommu = noiommu;

	/* From here on, put_device() frees the group and its minor. */
	device_initialize(&group->dev);
	group->dev.devt = MKDEV(MAJOR(vfio.group_devt), minor);
	group->dev.class = vfio.group_class;
	group->dev.release = vfio_group_dev_release;
	cdev_init(&group->cdev, &vfio_group_fops);
	group->cdev.owner = THIS_MODULE;

	ret = dev_set_name(&group->dev, "%s%d", noiommu ? "noiommu-" : "",
			   iommu_group_id(iommu_group));
	if (ret)
		goto err_put;
	ret = cdev_device_add(&group->cdev, &group->dev);
	if (ret)
		goto err_put;

	list_add(&group->vfio_next, &vfio.group_list);
	return group;

err_put:
	put_device(&group->dev);
	return ERR_PTR(ret);
}

/* Returns the group of @iommu_group with one more user; takes over the
 * caller's @iommu_group reference when it creates the group, a no-IOMMU
 * group if @noiommu.
 */
static struct vfio_group *vfio_group_get(struct iommu_group *iommu_group,
					 bool noiommu)
{
	struct vfio_group *group;

	mutex_lock(&vfio.group_lock);
	list_for_each_entry(group, &vfio.group_list, vfio_next) {
		if (group->iommu_group == iommu_group) {
			kref_get(&group->users);
			mutex_unlock(&vfio.group_lock);
			iommu_group_put(iommu_group);
			return group;
		}
	}
	group = vfio_group_create(iommu_group, noiommu);
	mutex_unlock(&vfio.group_lock);
	return group;
}

static void vfio_group_last_put(struct kref *kref)
{
	struct vfio_group *group = container_of(kref, struct vfio_group,
						users);
	struct iommu_group *iommu_group;

	list_del(&group->vfio_next);
	cdev_device_del(&group->cdev, &group->dev);
	mutex_unlock(&vfio.group_lock);

	/*
	 * No device is left, so no device file is open; a group file may
	 * still be, and from now on finds no IOMMU group.
	 */
	mutex_lock(&group->group_lock);
	if (group->container)
		vfio_group_detach_container(group);
	iommu_group = group->iommu_group;
	group->iommu_group = NULL;
	mutex_unlock(&group->group_lock);

	iommu_group_put(iommu_group);
	put_device(&group->dev);
}

static void vfio_group_put(struct vfio_group *group)
{
	kref_put_mutex(&group->users, vfio_group_last_put, &vfio.group_lock);
}

/*
 * Bus driver interface
 */

/**
 * vfio_init_group_dev - initialise a device before registration
 * @vdev: the device, embedded in the bus driver's structure
 * @dev: the physical device
 * @ops: the bus driver's callbacks
 */
void vfio_init_group_dev(struct vfio_device *vdev, struct device *dev,
			 const struct vfio_device_ops *ops)
{
	memset(vdev, 0, sizeof(*vdev));
	vdev->dev = dev;
	vdev->ops = ops;
	kref_init(&vdev->kref);
	init_completion(&vdev->comp);
	INIT_LIST_HEAD(&vdev->group_next);
	mutex_init(&vdev->open_lock);
}
EXPORT_SYMBOL_GPL(vfio_init_group_dev);

/**
 * vfio_register_group_dev - expose a device to userspace
 * @vdev: a device prepared with vfio_init_group_dev()
 *
 * Adds @vdev to the VFIO group of its IOMMU group, creating
 * /dev/vfio/<N> if it is the group's first device.  In no-IOMMU mode a
 * device without an IOMMU group gets one of its own and
 * /dev/vfio/noiommu-<N>.
 *
 * Return: 0; -EINVAL if the device has no IOMMU group (and no-IOMMU mode
 * is off); -EBUSY if it is already registered; or -ENOMEM.
 */
int vfio_register_group_dev(struct vfio_device *vdev)
{
	struct iommu_group *iommu_group;
	struct vfio_group *group;
	struct vfio_device *it;
	bool noiommu = false;

	iommu_group = iommu_group_get(vdev->dev);
	if (!iommu_group) {
		iommu_group = vfio_noiommu_group_alloc(vdev->dev);
		if (IS_ERR(iommu_group))
			return PTR_ERR(iommu_group);
		noiommu = true;
	}

	group = vfio_group_get(iommu_group, noiommu);
	if (IS_ERR(group)) {
		if (noiommu)
			iommu_group_remove_device(vdev->dev);
		iommu_group_put(iommu_group);
		return PTR_ERR(group);
	}

	mutex_lock(&group->device_lock);
	list_for_each_entry(it, &group->device_list, group_next) {
		if (it->dev == vdev->dev) {
			mutex_unlock(&group->device_lock);
			dev_warn(vdev->dev, "device already registered with VFIO\n");
			vfio_group_put(group);
			return -EBUSY;
		}
	}
	get_device(vdev->dev);
	vdev->group = group;
	kref_init(&vdev->kref);		/* the registration reference */
	reinit_completion(&vdev->comp);
	list_add(&vdev->group_next, &group->device_list);
	mutex_unlock(&group->device_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_register_group_dev);

/**
 * vfio_unregister_group_dev - withdraw a device from userspace
 * @vdev: a device registered with vfio_register_group_dev()
 *
 * Drops the registration reference and sleeps until every file of the
 * device is closed, asking the bus driver to have userspace let go
 * (ops->request) every ten seconds meanwhile.  When it returns, no
 * callback of @vdev runs any more.
 */
void vfio_unregister_group_dev(struct vfio_device *vdev)
{
	struct vfio_group *group = vdev->group;
	bool interrupted = false;
	unsigned int i = 0;
	long rc;

	vfio_device_put(vdev);

	rc = try_wait_for_completion(&vdev->comp);
	while (rc <= 0) {
		if (vdev->ops->request)
			vdev->ops->request(vdev, i++);

		if (interrupted) {
			rc = wait_for_completion_timeout(&vdev->comp, 10 * HZ);
			continue;
		}
		rc = wait_for_completion_interruptible_timeout(&vdev->comp,
							       10 * HZ);
		if (rc < 0) {
			interrupted = true;
			dev_warn(vdev->dev,
				 "device in use: task \"%s\" (%d) blocked until it is released\n",
				 current->comm, task_pid_nr(current));
		}
	}

	/* A no-IOMMU group is the device's alone: it goes with it. */
	if (group->noiommu)
		iommu_group_remove_device(vdev->dev);
	put_device(vdev->dev);
	WRITE_ONCE(vdev->group, NULL);	/* before the group can be freed */
	vfio_group_put(group);
}
EXPORT_SYMBOL_GPL(vfio_unregister_group_dev);

/*
 * Helpers for ioctl implementations
 */

/**
 * vfio_info_cap_add - append a capability to an info capability chain
 * @caps: the chain; caps->buf is reallocated, and freed on failure
 * @size: size of the capability, header included
 * @id: capability id
 * @version: capability version
 *
 * Offsets in the chain count from the start of caps->buf; see
 * vfio_info_cap_shift().
 *
 * Return: the zeroed capability with its header filled in, or
 * ERR_PTR(-ENOMEM).
 */
struct vfio_info_cap_header *vfio_info_cap_add(struct vfio_info_cap *caps,
					       size_t size, u16 id,
					       u16 version)
{
	struct vfio_info_cap_header *header, *last;
	void *buf;

	if (WARN_ON(size < sizeof(*header)))
		return ERR_PTR(-EINVAL);

	buf = krealloc(caps->buf, caps->size + size, GFP_KERNEL);
	if (!buf) {
		kfree(caps->buf);
		caps->buf = NULL;
		caps->size = 0;
		return ERR_PTR(-ENOMEM);
	}

	header = buf + caps->size;
	memset(header, 0, size);
	header->id = id;
	header->version = version;

	if (caps->size) {
		for (last = buf; last->next; last = buf + last->next)
			;
		last->next = caps->size;
	}

	caps->buf = buf;
	caps->size += size;
	return header;
}
EXPORT_SYMBOL_GPL(vfio_info_cap_add);

/**
 * vfio_info_cap_shift - rebase the offsets of a capability chain
 * @caps: the chain
 * @offset: where caps->buf will sit in the structure returned to the user
 */
void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset)
{
	struct vfio_info_cap_header *cap;
	void *buf = caps->buf;
	u32 next;

	if (!caps->size)
		return;

	for (cap = buf; cap->next; cap = buf + next) {
		next = cap->next;
		cap->next += offset;
	}
}
EXPORT_SYMBOL_GPL(vfio_info_cap_shift);

/**
 * vfio_info_cap_copy - return an info capability chain to the user
 * @caps: the chain, built with vfio_info_cap_add(); the caller frees it
 * @uarg: the user's info structure
 * @infosz: the size of that structure as this kernel knows it: the chain
 *	goes right after it
 * @argsz: the structure's argsz
 * @cap_offset: the structure's cap_offset
 *
 * The epilogue of an info ioctl with capabilities, for a non-empty chain
 * (an empty one changes nothing): if the user's buffer (@argsz) holds the
 * structure and the chain, the chain is copied after the structure and
 * @cap_offset set to @infosz; if not, @argsz is set to the size needed and
 * @cap_offset to 0, for the user to ask again.  The caller sets its
 * structure's CAPS flag when caps->size is not 0, then copies the
 * structure back.
 *
 * Return: 0, or -EFAULT if the chain cannot be written.
 */
int vfio_info_cap_copy(struct vfio_info_cap *caps, void __user *uarg,
		       size_t infosz, u32 *argsz, u32 *cap_offset)
{
	if (!caps->size)
		return 0;

	if (*argsz < infosz + caps->size) {
		*argsz = infosz + caps->size;
		*cap_offset = 0;
		return 0;
	}

	vfio_info_cap_shift(caps, infosz);
	if (copy_to_user(uarg + infosz, caps->buf, caps->size))
		return -EFAULT;
	*cap_offset = infosz;
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_info_cap_copy);

/**
 * vfio_set_irqs_validate_and_prepare - check a VFIO_DEVICE_SET_IRQS header
 * @hdr: the header, copied from userspace
 * @num_irqs: number of interrupts of the index in @hdr
 * @max_irq_type: number of interrupt indexes of the device
 * @data_size: set to the size of the data that follows the header
 *
 * The action type is left to the caller.
 *
 * Return: 0, or -EINVAL if the header is malformed or out of range.
 */
int vfio_set_irqs_validate_and_prepare(struct vfio_irq_set *hdr,
				       int num_irqs, int max_irq_type,
				       size_t *data_size)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	size_t size;
	u32 end;

	*data_size = 0;

	if (hdr->argsz < minsz || hdr->index >= max_irq_type ||
	    hdr->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			   VFIO_IRQ_SET_ACTION_TYPE_MASK))
		return -EINVAL;

	if (num_irqs < 0 || check_add_overflow(hdr->start, hdr->count, &end) ||
	    hdr->start >= num_irqs || end > num_irqs)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		size = 0;
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = sizeof(u8);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(s32);
		break;
	default:
		return -EINVAL;
	}

	/* count is below num_irqs, an int: the product cannot overflow. */
	if (hdr->argsz - minsz < (size_t)hdr->count * size)
		return -EINVAL;

	*data_size = (size_t)hdr->count * size;
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_set_irqs_validate_and_prepare);

/**
 * vfio_check_feature - check a VFIO_DEVICE_FEATURE call against a feature
 * @flags: the flags given to the device_feature op
 * @argsz: the size of the feature's data given to the device_feature op
 * @supported_ops: VFIO_DEVICE_FEATURE_GET and/or VFIO_DEVICE_FEATURE_SET,
 *	the operations the feature has
 * @minsz: the size of the feature's data that GET or SET needs
 *
 * For a bus driver's device_feature op, once it knows the feature.
 *
 * Return: 1 if the driver is to do the GET or SET; 0 for a PROBE of
 * operations the feature has (the answer to the PROBE); -EINVAL for an
 * operation it does not have, neither GET nor SET without PROBE, or
 * @argsz below @minsz.
 */
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz)
{
	u32 op = flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET);

	if (op & ~supported_ops)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	if (!op || argsz < minsz)
		return -EINVAL;
	return 1;
}
EXPORT_SYMBOL_GPL(vfio_check_feature);

/*
 * Failure points (include/linux/vfio.h): one armed thread at a time, set
 * through debugfs; vfio_fail_lock protects both fields.
 */
#if IS_ENABLED(CONFIG_VFIO_FAIL_NTH)
static DEFINE_SPINLOCK(vfio_fail_lock);
static pid_t vfio_fail_tid;		/* the armed thread, or 0 */
static unsigned int vfio_fail_nth;	/* points to go; 0: injected */

/**
 * vfio_fail_point - a failure point of our modules, for tests
 *
 * Return: true if this point must fail: it is the Nth one that the thread
 * armed through /sys/kernel/debug/vfio/fail_nth reaches.
 */
bool vfio_fail_point(void)
{
	unsigned long flags;
	bool fail = false;

	if (!READ_ONCE(vfio_fail_tid) || !in_task())
		return false;

	spin_lock_irqsave(&vfio_fail_lock, flags);
	if (vfio_fail_tid == task_pid_nr(current) && vfio_fail_nth) {
		fail = !--vfio_fail_nth;
		if (fail)
			WRITE_ONCE(vfio_fail_tid, 0);
	}
	spin_unlock_irqrestore(&vfio_fail_lock, flags);
	return fail;
}
EXPORT_SYMBOL_GPL(vfio_fail_point);

/*
 * Stateless, so that a test can pread() it again and again at offset 0
 * (a simple_attr file caches its first read and cannot seek).
 */
static ssize_t vfio_fail_nth_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	char num[16];
	int len;

	spin_lock_irq(&vfio_fail_lock);
	len = scnprintf(num, sizeof(num), "%u\n", vfio_fail_nth);
	spin_unlock_irq(&vfio_fail_lock);
	return simple_read_from_buffer(buf, count, ppos, num, len);
}

/* Arms the writing thread (N > 0) or disarms (0) */
static ssize_t vfio_fail_nth_write(struct file *file, const char __user *buf,
				   size_t count, loff_t *ppos)
{
	unsigned int n;
	int ret;

	ret = kstrtouint_from_user(buf, count, 0, &n);
	if (ret)
		return ret;

	spin_lock_irq(&vfio_fail_lock);
	vfio_fail_nth = n;
	/* read locklessly by vfio_fail_point() to stay cheap when unarmed */
	WRITE_ONCE(vfio_fail_tid, n ? task_pid_nr(current) : 0);
	spin_unlock_irq(&vfio_fail_lock);
	return count;
}

static const struct file_operations vfio_fail_nth_fops = {
	.owner	= THIS_MODULE,
	.read	= vfio_fail_nth_read,
	.write	= vfio_fail_nth_write,
	.llseek	= default_llseek,
};

static struct dentry *vfio_debugfs_root;

static void vfio_debugfs_init(void)
{
	vfio_debugfs_root = debugfs_create_dir("vfio", NULL);
	debugfs_create_file("fail_nth", 0600, vfio_debugfs_root, NULL,
			    &vfio_fail_nth_fops);
}

static void vfio_debugfs_exit(void)
{
	debugfs_remove_recursive(vfio_debugfs_root);
}
#else
static void vfio_debugfs_init(void)
{
}

static void vfio_debugfs_exit(void)
{
}
#endif

/*
 * Module
 */

static char *vfio_devnode(struct device *dev, umode_t *mode)
{
	return kasprintf(GFP_KERNEL, "vfio/%s", dev_name(dev));
}

static int __init vfio_init(void)
{
	int ret;

	ida_init(&vfio.group_ida);
	mutex_init(&vfio.group_lock);
	INIT_LIST_HEAD(&vfio.group_list);
	mutex_init(&vfio.iommu_drivers_lock);
	INIT_LIST_HEAD(&vfio.iommu_drivers_list);

	ret = misc_register(&vfio_dev);
	if (ret) {
		pr_err("vfio: misc device register failed\n");
		return ret;
	}

	vfio.group_class = class_create(THIS_MODULE, "vfio");
	if (IS_ERR(vfio.group_class)) {
		ret = PTR_ERR(vfio.group_class);
		goto err_misc;
	}
	vfio.group_class->devnode = vfio_devnode;

	ret = alloc_chrdev_region(&vfio.group_devt, 0, MINORMASK + 1, "vfio");
	if (ret)
		goto err_class;

	vfio_noiommu_register();
	vfio_debugfs_init();
	pr_info(DRIVER_DESC " version: " VFIO_MODULES_VERSION "\n");
	return 0;

err_class:
	class_destroy(vfio.group_class);
err_misc:
	misc_deregister(&vfio_dev);
	return ret;
}

static void __exit vfio_cleanup(void)
{
	WARN_ON(!list_empty(&vfio.group_list));
	vfio_debugfs_exit();
	vfio_noiommu_unregister();
	unregister_chrdev_region(vfio.group_devt, MINORMASK + 1);
	class_destroy(vfio.group_class);
	misc_deregister(&vfio_dev);
	ida_destroy(&vfio.group_ida);
}

module_init(vfio_init);
module_exit(vfio_cleanup);

MODULE_VERSION(VFIO_MODULES_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_ALIAS_MISCDEV(VFIO_MINOR);
MODULE_ALIAS("devname:vfio/vfio");
MODULE_SOFTDEP("post: vfio_iommu_type1");

#if IS_ENABLED(CONFIG_VFIO_KUNIT_TEST)
#include "vfio_test.c"
#endif
